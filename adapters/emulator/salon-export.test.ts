import { describe, expect, it } from "vitest";
import { formatTranscriptResult, parseTranscript, runTranscript } from "./index.ts";
import salon from "../../bots/salon/index.ts";
import { useHarness } from "../../tests/helpers.ts";
import { resolveConfig } from "../../server/config.ts";
import { startServer, type RunningServer } from "../../server/serve.ts";
import { TEST_CLOCK_START } from "../../tests/test-server.ts";

type Msg = { text?: string; buttons?: Array<{ label: string; payload: string }>; invoice?: { amount: number; currency: string } };

async function post(server: RunningServer, path: string, body: unknown): Promise<{ status: number; json: unknown; text: string }> {
  const response = await fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, json: text === "" ? undefined : JSON.parse(text), text };
}

/** Books the first offered day and time with anyone, and pays the deposit; the booking is then confirmed. */
async function bookFirstSlot(server: RunningServer, customer: string): Promise<Msg[]> {
  const act = async (body: unknown): Promise<Msg[]> => {
    const res = await post(server, `/api/emulator/bots/salon/customers/${customer}/events`, body);
    expect(res.status, res.text).toBe(200);
    return (res.json as { messages: Msg[] }).messages;
  };
  await act({ text: "hi" });
  await act({ press: "Book an appointment" });
  await act({ press: "service:haircut" });
  const days = await act({ press: "Anyone" });
  const day = days.at(-1)?.buttons?.[0]?.label ?? "";
  const times = await act({ press: day });
  const time = times.at(-1)?.buttons?.[0]?.label ?? "";
  await act({ press: time });
  const held = await act({ press: "Yes" });
  expect(held.at(-1)?.invoice).toEqual({ order: expect.any(String), title: "Salon Lila: deposit for Haircut", amount: 500, currency: "EUR" });
  return act({ pay: "succeed" });
}

describe("the emulator API with the salon", () => {
  const harness = useHarness();

  it("exports a booking conversation, reminders included, as a transcript whose end checks the booking, and it plays back", async () => {
    // The emulator clock starts on a Monday at 06:00 in Paris whatever the hour the tests run at: the first slot (09:00) is 3 h away, so its 2 h reminder is due.
    const config = { ...resolveConfig({ env: {} }), port: 0, host: "127.0.0.1", db: harness.db, emulatorClock: TEST_CLOCK_START };
    const server = await startServer({ config, bots: [salon], logger: false });
    harness.defer(() => server.close());
    // One customer only: a transcript replays one customer, so others' bookings would change "Anyone".
    const paid = await bookFirstSlot(server, "alice");
    expect(paid[0]?.text).toMatch(/^Booked! #1: Haircut with Ana, /);
    expect(paid.at(-1)).toMatchObject({ text: "Which mobile number can we reach you on if anything changes?", request: { kind: "contact", label: "Share my number" } });
    // Shared as Telegram's button would; a bad body names the shapes it takes.
    const bad = await post(server, "/api/emulator/bots/salon/customers/alice/events", { contact: "" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('{\\"contact\\":\\"phone\\"}');
    const shared = await post(server, "/api/emulator/bots/salon/customers/alice/events", { contact: "33612345678" });
    expect((shared.json as { messages: Msg[] }).messages.map((m) => m.text)).toEqual(["See you soon at Salon Lila!"]);

    const forward = await post(server, "/api/emulator/clock", { advance: "P8D" });
    expect(forward.status).toBe(200);
    const reminders = (forward.json as { messages: Array<{ to: string; text?: string }> }).messages.filter((m) => m.to === "alice");
    // The 2 h reminder always comes; the 24 h one only when the slot was booked more than 24 h ahead.
    expect(reminders.length).toBeGreaterThanOrEqual(1);
    for (const reminder of reminders) expect(reminder.text).toMatch(/^Reminder: Haircut with Ana, /);

    const exported = await fetch(`${server.url}/api/emulator/bots/salon/customers/alice/transcript`);
    expect(exported.status).toBe(200);
    const yaml = await exported.text();
    expect(yaml).toContain('contact: "33612345678"');
    const transcript = parseTranscript(yaml, "alice.transcript.yaml");
    expect(transcript.end?.bookings).toEqual([
      { customer: "alice", service: "haircut", resource: "ana", status: "completed", start: expect.any(String), depositPaid: 500, depositRefunded: 0 },
    ]);
    const result = await runTranscript(salon, transcript);
    expect(result.passed, formatTranscriptResult(result)).toBe(true);

    // The end check is real: a wrong deposit fails the play.
    const tampered = parseTranscript(yaml.replace("depositPaid: 500", "depositPaid: 400"), "alice.transcript.yaml");
    expect((await runTranscript(salon, tampered)).passed).toBe(false);
  });
});
