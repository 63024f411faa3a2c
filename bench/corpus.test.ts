// Loading a corpus: a bad entry is named by file, line and number, and a label
// the bot's catalog or calendar cannot satisfy is refused before anything is
// scored.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { catalog as cafeCatalog } from "../bots/cafe/catalog.ts";
import { calendar as salonCalendar } from "../bots/salon/calendar.ts";
import { indexCatalog } from "../commerce/index.ts";
import { CorpusError, loadCorpus, loadCorpusFolder, type CorpusBot } from "./corpus.ts";

const catalog = indexCatalog(cafeCatalog);
const cafe: CorpusBot = { catalog };
const salon: CorpusBot = { calendar: salonCalendar };
const dir = mkdtempSync(join(tmpdir(), "kiosk-corpus-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function corpusFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** The problems of a file that must not load. */
function problemsOf(file: string, bot: CorpusBot = cafe): readonly string[] {
  try {
    loadCorpus(file, bot);
  } catch (error) {
    if (error instanceof CorpusError) return error.problems;
    throw error;
  }
  throw new Error(`${file} loaded`);
}

describe("loadCorpus", () => {
  it("reads each kind of entry, with its line, and takes the locale from the file's name", () => {
    const file = corpusFile(
      "fr.yaml",
      [
        "# a comment",
        '- { text: "deux grands cafés au lait", kind: items, expect: [{ product: latte, quantity: 2, options: { size: l } }] }',
        "- text: deux",
        "  kind: quantity",
        "  expect: 2",
        '- { text: "grand", kind: option, group: size, expect: l }',
        '- { text: "une pizza", kind: nothing }',
        '- { text: "beaucoup", kind: quantity, expect: null }',
      ].join("\n"),
    );
    const corpus = loadCorpus(file, cafe);
    expect(corpus.locale).toBe("fr");
    expect(corpus.sentences.map((s) => [s.line, s.kind, s.text])).toEqual([
      [2, "items", "deux grands cafés au lait"],
      [3, "quantity", "deux"],
      [6, "option", "grand"],
      [7, "nothing", "une pizza"],
      [8, "quantity", "beaucoup"],
    ]);
    expect(corpus.sentences[0]).toMatchObject({ expect: [{ product: "latte", quantity: 2, options: { size: "l" } }] });
  });

  it("names the file, line and entry of a malformed entry, and every such entry at once", () => {
    const file = corpusFile(
      "en.yaml",
      ['- { text: "latte", kind: items, expect: [{ product: latte }] }', '- { text: "two", kind: quantity, expect: "two" }', '- { text: "hi", kind: greeting }', "- { kind: nothing }"].join("\n"),
    );
    let caught: unknown;
    try {
      loadCorpus(file, cafe);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CorpusError);
    expect(String(caught)).toContain("en.yaml: 3 problems");
    const problems = problemsOf(file);
    expect(problems[0]).toMatch(/^line 2: entry 2 "two": expect: /);
    expect(problems[1]).toMatch(/^line 3: entry 3 "hi": kind: /);
    expect(problems[2]).toMatch(/^line 4: entry 4: text: /);
  });

  it("refuses labels naming a product, option or choice the catalog does not have", () => {
    const problems = problemsOf(
      corpusFile(
        "labels.yaml",
        [
          '- { text: "a flat white", kind: items, expect: [{ product: flat-white }] }',
          '- { text: "a large espresso", kind: items, expect: [{ product: espresso, options: { size: l } }] }',
          '- { text: "a huge latte", kind: items, expect: [{ product: latte, options: { size: xl } }] }',
          '- { text: "oat", kind: option, group: milk, expect: oat }',
          '- { text: "huge", kind: option, group: size, expect: xl }',
        ].join("\n"),
      ),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^line 1: entry 1 "a flat white": expect: no product 'flat-white' in the catalog; products are: espresso, latte, /),
      "line 2: entry 2 \"a large espresso\": expect: 'espresso' has no option 'size'",
      "line 3: entry 3 \"a huge latte\": expect: option 'size' has no choice 'xl'; choices are: s, m, l",
      "line 4: entry 4 \"oat\": group: no product of the catalog has an option group 'milk'",
      "line 5: entry 5 \"huge\": expect: option 'size' has no choice 'xl'; choices are: s, m, l",
    ]);
  });

  it("refuses the same sentence twice for the same kind, but not for another kind", () => {
    const problems = problemsOf(
      corpusFile(
        "twice.yaml",
        ['- { text: "large", kind: option, group: size, expect: l }', '- { text: "large", kind: nothing }', '- { text: "large", kind: option, group: size, expect: l }'].join("\n"),
      ),
    );
    expect(problems).toEqual(['line 3: entry 3 "large": the same sentence and kind as line 1; remove one']);
  });

  it("refuses a file that is not a list, or not YAML", () => {
    expect(problemsOf(corpusFile("scalar.yaml", "latte\n"))).toEqual([
      "the file must be a list of entries (each line starting with '- '), or a map with 'sentences:' (that list) and 'now:' (the instant they are typed at)",
    ]);
    expect(problemsOf(corpusFile("map.yaml", "text: latte\nkind: items\n"))).toEqual([
      "line 1: sentences: Invalid input: expected array, received undefined",
      'line 1: Unrecognized keys: "text", "kind"',
    ]);
    expect(problemsOf(corpusFile("broken.yaml", '- { text: "latte", kind: items\n'))[0]).toMatch(/^line \d+: not valid YAML: /);
  });

  it("loads every .yaml of a folder, in order of name", () => {
    const folder = mkdtempSync(join(dir, "folder-"));
    writeFileSync(join(folder, "zh-CN.yaml"), '- { text: "拿铁", kind: items, expect: [{ product: latte }] }\n');
    writeFileSync(join(folder, "en.yaml"), '- { text: "latte", kind: items, expect: [{ product: latte }] }\n');
    writeFileSync(join(folder, "README.md"), "not a corpus\n");
    expect(loadCorpusFolder(folder, cafe).map((c) => c.locale)).toEqual(["en", "zh-CN"]);
  });

  it("reads a file in map form: the instant it is typed at, then its sentences, booking and intent among them", () => {
    const file = corpusFile(
      "en-GB.yaml",
      [
        "# a salon's corpus",
        'now: "2026-12-07T09:00:00Z"',
        "sentences:",
        '  - { text: "a haircut with Ana tomorrow at 10", kind: booking, expect: { service: haircut, resource: ana, day: "2026-12-08", time: "10:00" } }',
        '  - { text: "anyone, friday afternoon", kind: booking, expect: { resource: any, day: "2026-12-11", part: afternoon } }',
        '  - { text: "cancel my booking", kind: intent, expect: cancel-booking }',
        '  - { text: "do you do nails?", kind: nothing }',
      ].join("\n"),
    );
    const corpus = loadCorpus(file, salon);
    expect(corpus.locale).toBe("en-GB");
    expect(corpus.now).toEqual(new Date("2026-12-07T09:00:00Z"));
    expect(corpus.sentences.map((s) => [s.line, s.kind, s.text])).toEqual([
      [4, "booking", "a haircut with Ana tomorrow at 10"],
      [5, "booking", "anyone, friday afternoon"],
      [6, "intent", "cancel my booking"],
      [7, "nothing", "do you do nails?"],
    ]);
    expect(corpus.sentences[0]).toMatchObject({ expect: { service: "haircut", resource: "ana", day: "2026-12-08", time: "10:00" } });
    expect(corpus.sentences[2]).toMatchObject({ expect: "cancel-booking" });
  });

  it("reads a list with intents, and a map without now when no sentence is a booking", () => {
    expect(loadCorpus(corpusFile("list-intent.yaml", '- { text: "my orders", kind: intent, expect: orders }\n'), cafe).now).toBeUndefined();
    const map = loadCorpus(corpusFile("map-intent.yaml", 'sentences:\n  - { text: "help", kind: intent, expect: help }\n'), salon);
    expect(map.now).toBeUndefined();
    expect(map.sentences).toEqual([{ text: "help", kind: "intent", expect: "help", line: 2 }]);
  });

  it("refuses booking labels naming a service or resource the calendar does not have, a malformed day or time, or nothing at all", () => {
    const problems = problemsOf(
      corpusFile(
        "bookings.yaml",
        [
          'now: "2026-12-07T09:00:00Z"',
          "sentences:",
          '  - { text: "a perm", kind: booking, expect: { service: perm } }',
          '  - { text: "with Zoe", kind: booking, expect: { resource: zoe } }',
          '  - { text: "on the 30th of February", kind: booking, expect: { day: "2027-02-30" } }',
          '  - { text: "tomorrow", kind: booking, expect: { day: "8/12/2026" } }',
          '  - { text: "at 25", kind: booking, expect: { time: "25:00" } }',
          '  - { text: "at 10", kind: booking, expect: { time: "10h" } }',
          '  - { text: "a haircut", kind: booking, expect: {} }',
          '  - { text: "at noon", kind: booking, expect: { part: noon } }',
          '  - { text: "haircut", kind: booking, expect: { service: haircut, colour: true } }',
          '  - { text: "anyone", kind: booking, expect: { resource: any } }',
        ].join("\n"),
      ),
      salon,
    );
    expect(problems).toEqual([
      "line 3: entry 1 \"a perm\": expect.service: no service 'perm' in the calendar; services are: haircut, colour, beard",
      "line 4: entry 2 \"with Zoe\": expect.resource: no resource 'zoe' in the calendar; resources are: ana, ben, any",
      'line 5: entry 3 "on the 30th of February": expect.day: write the day as "YYYY-MM-DD", a date that exists',
      'line 6: entry 4 "tomorrow": expect.day: write the day as "YYYY-MM-DD", a date that exists',
      'line 7: entry 5 "at 25": expect.time: write the time as "HH:MM", 24 h (00:00 to 23:59)',
      'line 8: entry 6 "at 10": expect.time: write the time as "HH:MM", 24 h (00:00 to 23:59)',
      'line 9: entry 7 "a haircut": expect: a booking label says at least one of service, resource, day, time, part',
      expect.stringMatching(/^line 10: entry 8 "at noon": expect\.part: /),
      expect.stringMatching(/^line 11: entry 9 "haircut": expect: Unrecognized key: "colour"/),
    ]);
  });

  it("refuses an intent that is not a command", () => {
    expect(problemsOf(corpusFile("intent.yaml", '- { text: "refund please", kind: intent, expect: refund }\n'))).toEqual([
      expect.stringMatching(/^line 1: entry 1 "refund please": expect: .*"cancel".*"cancel-order".*"human"/),
    ]);
  });

  it("refuses booking sentences without the instant they are typed at, or with a malformed one", () => {
    const booking = '- { text: "tomorrow at 10", kind: booking, expect: { day: "2026-12-08", time: "10:00" } }';
    expect(problemsOf(corpusFile("list-booking.yaml", `- { text: "hello", kind: nothing }\n${booking}\n`), salon)).toEqual([
      `line 1: booking sentences (the first on line 2) are read from an instant: write the file as a map with 'now: "2026-12-07T09:00:00Z"' and 'sentences:'`,
    ]);
    expect(problemsOf(corpusFile("no-now.yaml", `sentences:\n  ${booking}\n`), salon)[0]).toMatch(/^line 1: booking sentences \(the first on line 2\) are read from an instant/);
    expect(problemsOf(corpusFile("bad-now.yaml", `# header\nnow: "7 December 2026"\nsentences:\n  ${booking}\n`), salon)).toEqual([
      'line 2: now: write now as an ISO instant, e.g. "2026-12-07T09:00:00Z"',
    ]);
  });

  it("refuses labels the bot has nothing to check against: products without a catalog, bookings without a calendar", () => {
    expect(problemsOf(corpusFile("no-catalog.yaml", '- { text: "latte", kind: items, expect: [{ product: latte }] }\n- { text: "large", kind: option, group: size, expect: l }\n'), salon)).toEqual([
      "line 1: entry 1 \"latte\": kind: 'items' names products, and this bot has no catalog",
      "line 2: entry 2 \"large\": kind: 'option' names products, and this bot has no catalog",
    ]);
    expect(problemsOf(corpusFile("no-calendar.yaml", 'now: "2026-12-07T09:00:00Z"\nsentences:\n  - { text: "haircut", kind: booking, expect: { service: haircut } }\n'), cafe)).toEqual([
      "line 3: entry 1 \"haircut\": kind: 'booking' names services, and this bot has no calendar",
    ]);
  });

  it("loads a folder's own files, not its subfolders' (held-out sentences are a folder of their own)", () => {
    const folder = mkdtempSync(join(dir, "nested-"));
    writeFileSync(join(folder, "en.yaml"), '- { text: "latte", kind: items, expect: [{ product: latte }] }\n');
    mkdirSync(join(folder, "held-out"));
    writeFileSync(join(folder, "held-out", "fr.yaml"), '- { text: "un crème", kind: items, expect: [{ product: latte }] }\n');
    mkdirSync(join(folder, "trap.yaml"));
    expect(loadCorpusFolder(folder, cafe).map((c) => c.locale)).toEqual(["en"]);
    expect(loadCorpusFolder(join(folder, "held-out"), cafe).map((c) => c.locale)).toEqual(["fr"]);
  });
});
