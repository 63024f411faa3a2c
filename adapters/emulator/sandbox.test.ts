import { describe, expect, it } from "vitest";
import { sandboxDbPath } from "./sandbox.ts";

describe("the emulator's sandbox", () => {
  it("puts the sandbox's SQLite file beside the main one, .emulator before the extension", () => {
    expect(sandboxDbPath("data/kiosk.db")).toBe("data/kiosk.emulator.db");
    expect(sandboxDbPath("/var/lib/kiosk/shop.sqlite3")).toBe("/var/lib/kiosk/shop.emulator.sqlite3");
    expect(sandboxDbPath("data/kiosk")).toBe("data/kiosk.emulator.db");
  });
});
