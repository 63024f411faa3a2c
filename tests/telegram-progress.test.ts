/**
 * A Telegram message that takes several Bot API calls, interrupted after its
 * first call and finished by a new process: the outbox row keeps how many
 * calls were made, so the new sender starts after them.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TelegramSender } from "../adapters/telegram/index.ts";
import { ManualClock, OutboxDispatcher } from "../jobs/index.ts";
import { openSqliteStore } from "../store/index.ts";
import { FakeBotApi } from "./fakes/telegram-bot-api.ts";

const TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const T0 = new Date("2025-03-01T09:00:00.000Z");
const address = { botId: "cafe", channel: "telegram", userId: "4242" };
/** Three parts of 4,000 characters, one line each: three sendMessage calls. */
const PARTS = ["a", "b", "c"].map((letter) => letter.repeat(4000));

describe("a Telegram message of several calls across a restart", () => {
  let dir: string;
  let fake: FakeBotApi;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "kiosk-"));
    fake = await FakeBotApi.start();
  });
  afterEach(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The sender and outbox a process starts with. */
  const startProcess = (file: string, clock: ManualClock) => {
    const store = openSqliteStore({ file });
    const sender = new TelegramSender({ tokens: new Map([["cafe", TOKEN]]), apiRoot: fake.url, pacing: { perBot: { perSecond: 0, burst: 0 }, perChat: { perSecond: 0, burst: 0 } } });
    const outbox = new OutboxDispatcher({ store, clock, senders: new Map([["telegram", sender]]), backoffMs: () => 1000 });
    return { store, outbox };
  };

  it("sends only the calls not made yet when the second of three failed", async () => {
    const file = join(dir, "kiosk.db");
    const clock = new ManualClock(T0);
    const first = startProcess(file, clock);
    try {
      await first.store.transaction((tx) => tx.enqueue(address, [{ text: PARTS.join("\n") }], T0));
      // The call after the first fails with a 500.
      const stop = fake.onCall(() => {
        fake.fail({ times: 1, methods: ["sendMessage"] });
        stop();
      });
      await first.outbox.flush();
      expect(fake.calls.map((c) => c.status)).toEqual([200, 500]);
      expect((await first.store.pendingOutbox(new Date(T0.getTime() + 1000), 1))[0]).toMatchObject({ callsDone: 1 });
    } finally {
      await first.store.close();
    }

    clock.advance(1000);
    const second = startProcess(file, clock);
    try {
      await second.outbox.flush();
      expect(fake.accepted("sendMessage").map((c) => String(c.params.text))).toEqual(PARTS);
      expect(fake.calls.map((c) => c.status)).toEqual([200, 500, 200, 200]);
      const [row] = await second.store.conversationOutbox(address);
      expect(row?.sentAt).not.toBeNull();
    } finally {
      await second.store.close();
    }
  });
});
