import { describe, expect, it } from "vitest";
import { emulatorHostAllowed } from "./access.ts";

describe("the emulator's Host check", () => {
  it("answers for the loopback names with the server's port and the configured hosts only", () => {
    const options = { hosts: ["kiosk.internal", "proxy.example:8443"], port: () => 3978 };
    for (const host of ["localhost:3978", "127.0.0.1:3978", "[::1]:3978", "LOCALHOST:3978", "kiosk.internal", "kiosk.internal:80", "proxy.example:8443"]) {
      expect(emulatorHostAllowed(host, options), host).toBe(true);
    }
    for (const host of [undefined, "", "localhost", "localhost:3979", "127.0.0.2:3978", "evil.example:3978", "proxy.example", "proxy.example:443", "kiosk.internal.evil.example"]) {
      expect(emulatorHostAllowed(host, options), String(host)).toBe(false);
    }
    expect(emulatorHostAllowed("localhost", { hosts: [], port: () => 80 })).toBe(true);
  });
});
