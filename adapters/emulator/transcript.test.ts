import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import cafe from "../../bots/cafe/index.ts";
import salon from "../../bots/salon/index.ts";
import { openSqliteStore } from "../../store/index.ts";
import { EMULATOR_CHANNEL } from "./sender.ts";
import { TranscriptFileError, formatTranscriptProblem, loadTranscripts, parseTranscript } from "./transcript-load.ts";
import { formatTranscriptResult, runTranscript, type TranscriptResult } from "./transcript.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kiosk-transcript-test-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const yaml = (...lines: string[]) => `${lines.join("\n")}\n`;

function play(text: string, options: { db?: string } = {}): Promise<TranscriptResult> {
  return runTranscript(cafe, parseTranscript(text, "inline.transcript.yaml"), options);
}

/** The cafe up to the size question for a latte, as transcript turns. */
const TO_SIZES = ["  - text: /start", "  - text: latte", '  - text: "2"'];

describe("runTranscript: a failing transcript", () => {
  it("names the turn and its line, shows expected and actual text, and points at the first difference", async () => {
    const result = await play(
      yaml(
        "name: wrong dash",
        "customer: alice",
        "turns:",
        "  - text: /start",
        "  - text: latte",
        "    expect:",
        '      - text: "How many Latte? (1-10)"',
      ),
    );
    expect(result.passed).toBe(false);
    expect(result.failures).toHaveLength(1);
    expect(formatTranscriptResult(result).split("\n")).toEqual([
      "✗ wrong dash (inline.transcript.yaml)",
      '  turn 2 (line 5): alice: text "latte"',
      "    message 1: text differs at character 19:",
      '      expected "How many Latte? (1-10)"',
      '      actual   "How many Latte? (1–10)"',
      "                                  ^",
      "    expected (exactly, 1 message):",
      '      1. {"text":"How many Latte? (1-10)"}',
      "    actual (1 message):",
      '      1. {"to":"alice","text":"How many Latte? (1–10)"}',
    ]);
  });

  it("names two different spaces that print the same, and how to write the one sent", async () => {
    const result = await play(
      yaml(
        "name: nbsp",
        "turns:",
        "  - locale: fr",
        "  - text: /start",
        "  - text: café au lait",
        '  - text: "2"',
        "  - press: M",
        "    expect:",
        "      includes:",
        '        - text: "Ajouté : 2 × Café au lait (M) — 6,40 €. Total du panier : 6,40 €."',
      ),
    );
    expect(result.failures[0]?.details.slice(0, 6)).toEqual([
      "no message matches expected message 1",
      "nearest, message 1: text differs at character 37:",
      '  expected "Ajouté : 2 × Café au lait (M) — 6,40 €. Total du panier : 6,40 €."',
      '  actual   "Ajouté : 2 × Café au lait (M) — 6,40\u00a0€. Total du panier : 6,40\u00a0€."',
      `  ${" ".repeat(46)}^`,
      '  they look alike: expected U+0020, actual U+00A0; write "\\u00a0" in a double-quoted string',
    ]);
  });

  it("says when a turn sent more or fewer messages than expected", async () => {
    const result = await play(yaml("name: counts", "turns:", "  - text: /start", "    expect:", '      - text: "Welcome to Café Lumière! ☕"'));
    const text = formatTranscriptResult(result);
    expect(text).toContain("expected 1 message, got 2");
    expect(text).toContain("message 2 was not expected");
    expect(text).toContain('2. {"to":"customer","text":"What would you like? Pick a category, or just type what you want.","buttons":[');
  });

  it("checks buttons, cards and invoices, naming the first difference", async () => {
    const result = await play(
      yaml(
        "name: details",
        "turns:",
        "  - text: /start",
        "    expect:",
        "      includes:",
        "        - buttons: [Pastries, Drinks]",
        "  - press: Pastries",
        "    expect:",
        "      - cards: [Croissant, { title: Pain au chocolat, price: 200 }]",
      ),
    );
    const [buttons, cards] = result.failures;
    expect(buttons?.details.slice(0, 2)).toEqual([
      "no message matches expected message 1",
      'nearest, message 2: buttons: expected ["Pastries","Drinks"], was ["Drinks","Pastries","To take home"] (first difference at button 1)',
    ]);
    expect(cards?.details[0]).toBe("message 1: card 2 (Pain au chocolat): expected price 200, was 210");
  });

  it("checks the end state: orders in order, and stock left", async () => {
    const result = await play(
      yaml(
        "name: end",
        "turns:",
        ...["/start", "croissant", '"3"', '"no"'].map((t) => `  - text: ${t}`),
        "  - press: Place order",
        "end:",
        "  orders: [{ status: paid, total: 540 }]",
        "  stock: { croissant: 12 }",
      ),
    );
    expect(result.failures).toHaveLength(1);
    const text = formatTranscriptResult(result);
    expect(text).toContain("  end state:\n");
    expect(text).toContain('order 1 (#1): status: expected "paid", was "awaiting_payment"');
    expect(text).toContain('1. {"id":"1","customer":"customer","status":"awaiting_payment","total":540,"currency":"EUR","items":1}');
    expect(text).toContain("stock of croissant: expected 12 left, was 9");
  });

  describe("end.bookings", () => {
    /** A haircut with Ana on Friday 26 March 2027 at 10:30 Paris time, held; `pay` confirms it. */
    const hold = (name: string, ...more: string[]) =>
      runTranscript(
        salon,
        parseTranscript(
          yaml(
            `name: ${name}`,
            "clock: 2027-03-22T08:00:00Z",
            "turns:",
            ...["hi", "Book an appointment", "service:haircut", "resource:ana", "day:2027-03-26", "10:30", "Yes"].map((p, i) => (i === 0 ? `  - text: ${p}` : `  - press: "${p}"`)),
            ...more,
          ),
          "inline.transcript.yaml",
        ),
      );

    it("passes when every listed field matches, the start compared as an instant whatever its offset", async () => {
      const result = await hold(
        "booked",
        "  - pay: succeed",
        "end:",
        "  bookings:",
        "    - { customer: customer, service: haircut, resource: ana, status: confirmed, start: '2027-03-26T10:30:00+01:00', depositPaid: 500, depositRefunded: 0 }",
        "  orders: [{ status: paid, total: 500 }]",
      );
      expect(result.failures).toEqual([]);
    });

    it("names the booking and the first field that differs, and lists both sides", async () => {
      const result = await hold(
        "still held",
        "end:",
        "  bookings:",
        "    - { status: confirmed, depositPaid: 500 }",
        "    - { service: beard }",
      );
      expect(result.failures).toHaveLength(1);
      expect(result.failures[0]?.details).toEqual([
        "expected 2 booking(s), got 1",
        'booking 1 (#1): status: expected "confirmed", was "held"',
        "expected bookings:",
        '  1. {"status":"confirmed","depositPaid":500}',
        '  2. {"service":"beard"}',
        "actual bookings:",
        '  1. {"id":"1","customer":"customer","service":"haircut","resource":"ana","status":"held","start":"2027-03-26T09:30:00.000Z","depositPaid":0,"depositRefunded":0}',
      ]);
    });

    it("shows a start written with an offset in UTC too, next to the actual one", async () => {
      const result = await hold("wrong start", "end:", "  bookings: [{ status: held, start: '2027-03-26T10:00:00+01:00' }]");
      expect(result.failures[0]?.details[0]).toBe('booking 1 (#1): start: expected "2027-03-26T10:00:00+01:00" (2027-03-26T09:00:00.000Z), was "2027-03-26T09:30:00.000Z"');
    });
  });

  it("stops at a turn that cannot be played, and says why", async () => {
    const result = await play(yaml("name: nothing to pay", "turns:", "  - text: /start", "  - pay: succeed", "  - text: hello"));
    expect(result.failures).toEqual([
      {
        turn: 2,
        line: 4,
        input: "customer: pay succeed",
        details: ["could not be played: customer has no open invoice to pay", "the 1 turn(s) after it were not played"],
      },
    ]);
  });
});

describe("runTranscript: expect", () => {
  it("without includes, needs exactly the messages listed; with includes, a subsequence of them in order", async () => {
    const exact = await play(yaml("name: exact", "turns:", ...TO_SIZES, "  - press: M", "    expect:", '      - text: "Anything else?"'));
    expect(exact.passed).toBe(false);

    const includes = await play(
      yaml("name: includes", "turns:", ...TO_SIZES, "  - press: M", "    expect:", "      includes:", '        - text: "Anything else?"', "          buttons: [Yes, No]"),
    );
    expect(includes.failures).toEqual([]);

    const both = await play(
      yaml(
        "name: both in order",
        "turns:",
        ...TO_SIZES,
        "  - press: M",
        "    expect:",
        "      includes:",
        "        - text: { contains: Added }",
        "        - text: { matches: '^Anything else\\?$' }",
      ),
    );
    expect(both.passed).toBe(true);

    const reversed = await play(
      yaml("name: reversed", "turns:", ...TO_SIZES, "  - press: M", "    expect:", "      includes:", '        - text: "Anything else?"', "        - text: { contains: Added }"),
    );
    expect(reversed.failures[0]?.details[0]).toBe("no message after message 2 matches expected message 2");
  });

  it("leaves a turn without expect unchecked, and `expect: []` means nothing may be sent", async () => {
    expect((await play(yaml("name: unchecked", "turns:", "  - text: /start"))).passed).toBe(true);
    const none = await play(yaml("name: silent", "turns:", "  - text: /start", "    expect: []"));
    expect(none.failures[0]?.details.slice(0, 2)).toEqual(["expected 0 messages, got 2", "message 1 was not expected"]);
  });
});

describe("runTranscript: customers, time and locale", () => {
  it("plays turns for the customer they name, and checks an advance's messages to everyone", async () => {
    const result = await play(
      yaml(
        "name: two customers",
        "customer: ann",
        "turns:",
        "  - text: /start",
        "  - { customer: bo, text: /start }",
        "  - text: croissant",
        "  - customer: bo",
        "    text: croissant",
        "    expect:",
        '      - { to: bo, text: "How many Croissant? (1–10)" }',
        ...['"2"', '"no"'].flatMap((t) => [`  - text: ${t}`, `  - { customer: bo, text: ${t} }`]),
        "  - press: Place order",
        "  - { customer: bo, press: Place order }",
        "  - advance: PT16M",
        "    expect:",
        "      - { to: ann, text: { contains: 'Order #1 expired' } }",
        "      - { to: bo, text: { contains: 'Order #2 expired' } }",
        "end:",
        "  orders: [{ customer: ann, status: expired, total: 360 }, { customer: bo, status: expired, total: 360 }]",
        "  stock: { croissant: 12 }",
      ),
    );
    expect(result.failures).toEqual([]);
  });

  it("reports a message sent to the wrong customer", async () => {
    const result = await play(yaml("name: wrong to", "turns:", "  - text: /start", "    expect:", "      includes: [{ to: someone-else }]"));
    expect(result.failures[0]?.details[1]).toBe('nearest, message 1: to: expected "someone-else", was "customer"');
  });

  it("passes a locale turn's locale to the engine, which keeps it for the conversation it starts", async () => {
    const db = join(dir, "locale.db");
    const result = await play(yaml("name: locale", "customer: zoe", "turns:", "  - locale: fr-CA", "  - text: /start"), { db });
    expect(result.passed).toBe(true);
    const store = openSqliteStore({ file: db });
    try {
      const conversation = await store.transaction((tx) => tx.loadConversation({ botId: "cafe", channel: EMULATOR_CHANNEL, userId: "zoe" }));
      // Kept as the bot's own locale it resolves to (the cafe speaks fr), so texts, dates and amounts agree.
      expect(conversation?.locale).toBe("fr");
    } finally {
      await store.close();
    }
  });

  it("starts the clock where the transcript says", async () => {
    const db = join(dir, "clock.db");
    await play(yaml("name: clock", "clock: 2030-06-01T12:00:00Z", "turns:", ...["/start", "croissant", '"1"', '"no"'].map((t) => `  - text: ${t}`), "  - press: Place order"), { db });
    const store = openSqliteStore({ file: db });
    try {
      const [order] = await store.listOrders({});
      expect(order?.createdAt.toISOString()).toBe("2030-06-01T12:00:00.000Z");
    } finally {
      await store.close();
    }
  });
});

describe("parseTranscript and loadTranscripts", () => {
  function problems(text: string): string[] {
    try {
      parseTranscript(text, "bad.transcript.yaml");
    } catch (error) {
      if (error instanceof TranscriptFileError) return error.problems.map(formatTranscriptProblem);
      throw error;
    }
    return [];
  }

  it("reports schema errors with file:line:column, the field, and what would be valid", () => {
    expect(
      problems(
        yaml(
          "name: bad",
          "turns:",
          "  - txt: hello",
          "  - text: 2",
          "  - pay: maybe",
          "  - text: a",
          "    press: b",
          "  - text: x",
          "    expect:",
          "      - text: { contain: a }",
          "end:",
          "  stock: { croissant: -1 }",
          "  bookings: [{ staus: held, start: friday }]",
        ),
      ),
    ).toEqual([
      "bad.transcript.yaml:3:5: turns[0].txt: 'txt' is not a field of a turn; did you mean 'text'?",
      'bad.transcript.yaml:4:11: turns[1].text: should be text, not the number 2; quote it: text: "2"',
      "bad.transcript.yaml:5:10: turns[2].pay: should be one of succeed, decline, not the string 'maybe'",
      "bad.transcript.yaml:7:12: turns[3].press: a turn does one thing; this one has both text and press; split it into two turns",
      "bad.transcript.yaml:10:17: turns[4].expect[0].text.contain: 'contain' is not a field of a text check; did you mean 'contains'?",
      "bad.transcript.yaml:12:23: end.stock.croissant: should be at least 0, not the number -1",
      "bad.transcript.yaml:13:16: end.bookings[0].staus: 'staus' is not a field of a booking check; did you mean 'status'?",
      "bad.transcript.yaml:13:36: end.bookings[0].start: is not an ISO instant; write e.g. 2026-11-24T09:00:00Z",
    ]);
  });

  it("reports missing fields, bad durations and YAML syntax errors with positions", () => {
    expect(problems(yaml("turns:", "  - advance: 15 minutes"))).toEqual([
      "bad.transcript.yaml:1:1: name: is missing; a transcript needs 'name' (text)",
      "bad.transcript.yaml:2:14: turns[0].advance: is not an ISO 8601 duration; write e.g. PT15M, PT2H or P1D",
    ]);
    expect(problems(yaml("name: x", "turns:", "  - text: 'unclosed"))[0]).toMatch(/^bad\.transcript\.yaml:\d+:\d+: not valid YAML: /);
  });

  it("finds *.transcript.yaml at any depth in a bot folder, sorted, and returns broken files with their problems", async () => {
    mkdirSync(join(dir, "transcripts", "more"), { recursive: true });
    writeFileSync(join(dir, "transcripts", "b.transcript.yaml"), yaml("name: b", "turns:", "  - text: hi"));
    writeFileSync(join(dir, "transcripts", "more", "a.transcript.yaml"), yaml("name: a", "turns:", "  - pay: later"));
    writeFileSync(join(dir, "transcripts", "notes.yaml"), yaml("name: not a transcript"));
    const loaded = await loadTranscripts(dir);
    expect(loaded.map((t) => [t.file, t.ok])).toEqual([
      [join(dir, "transcripts", "b.transcript.yaml"), true],
      [join(dir, "transcripts", "more", "a.transcript.yaml"), false],
    ]);
    const broken = loaded[1];
    expect(broken && !broken.ok ? broken.problems.map(formatTranscriptProblem) : []).toEqual([
      `${join(dir, "transcripts", "more", "a.transcript.yaml")}:3:10: turns[0].pay: should be one of succeed, decline, not the string 'later'`,
    ]);
  });

  it("does not read a transcript over 1 MiB: its problem names the file, the size and the limit; the others still load", async () => {
    mkdirSync(join(dir, "transcripts"), { recursive: true });
    writeFileSync(join(dir, "transcripts", "a.transcript.yaml"), yaml("name: a", "turns:", "  - text: hi"));
    const big = join(dir, "transcripts", "big.transcript.yaml");
    writeFileSync(big, yaml("name: big", "turns:", "  - text: hi"));
    truncateSync(big, 2 * 1024 * 1024);
    const loaded = await loadTranscripts(dir);
    expect(loaded.map((t) => [t.file, t.ok])).toEqual([
      [join(dir, "transcripts", "a.transcript.yaml"), true],
      [big, false],
    ]);
    const broken = loaded[1];
    expect(broken && !broken.ok ? broken.problems.map(formatTranscriptProblem) : []).toEqual([
      `${big}:1:1: is 2097152 bytes (2 MiB), over the limit of 1048576 bytes (1 MiB) for a transcript; it was not read; split it into several transcripts`,
    ]);
  });

  it("reads every cafe transcript", async () => {
    const loaded = await loadTranscripts(fileURLToPath(new URL("../../bots/cafe", import.meta.url)));
    expect(loaded.length).toBeGreaterThanOrEqual(10);
    expect(loaded.filter((t) => !t.ok)).toEqual([]);
  });
});
