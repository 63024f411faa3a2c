import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { runTerminalChat } from "../adapters/emulator/index.ts";
import { useHarness } from "../tests/helpers.ts";
import { openSalon } from "../tests/salon.ts";
import { catalogReading } from "./dev.ts";

describe("kiosk dev", () => {
  const harness = useHarness();

  it("shows under each typed line how it reads as an order against the catalog, then the bot's answer", async () => {
    const emulator = await harness.open();
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = "";
    output.on("data", (chunk: Buffer) => (printed += chunk.toString("utf8")));
    const chat = runTerminalChat(emulator, input, output, { explain: (text) => catalogReading(emulator, text) });
    // Typed once the chat asks, as a person would.
    for (let tries = 0; tries < 1000 && !printed.includes("> "); tries++) await new Promise((resolve) => setTimeout(resolve, 5));
    input.end("2 lattes and a large cappuccino please\npizza\n/quit\n");
    await chat;
    expect(printed).toContain("2 lattes and a large cappuccino please\n  ~ as an order: items: latte×2");
    expect(printed).toMatch(/cappuccino×1\(size=l\)/);
    expect(printed).toContain("  Added 2 × Latte (M) — €6.40. Cart total: €6.40.");
    expect(printed).toMatch(/pizza\n {2}~ as an order: items: none.*pizza/);
  });

  it("shows how a line reads as a booking against the calendar, with what was not understood", async () => {
    const emulator = await openSalon(harness);
    expect(catalogReading(emulator, "a haircut with Ana tomorrow at 10")).toBe("as a booking: booking: service=haircut resource=ana day=2027-03-23 time=10:00 via name");
    expect(catalogReading(emulator, "beard with Sophie")).toBe("as a booking: booking: service=beard via id (not understood: Sophie)");
  });
});
