// Loading a corpus: a bad entry is named by file, line and number, and a label
// the catalog cannot satisfy is refused before anything is scored.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { catalog as cafeCatalog } from "../bots/cafe/catalog.ts";
import { indexCatalog } from "../commerce/index.ts";
import { CorpusError, loadCorpus, loadCorpusFolder } from "./corpus.ts";

const catalog = indexCatalog(cafeCatalog);
const dir = mkdtempSync(join(tmpdir(), "kiosk-corpus-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function corpusFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** The problems of a file that must not load. */
function problemsOf(file: string): readonly string[] {
  try {
    loadCorpus(file, catalog);
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
    const corpus = loadCorpus(file, catalog);
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
      loadCorpus(file, catalog);
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
    expect(problemsOf(corpusFile("map.yaml", "text: latte\nkind: items\n"))).toEqual(["the file must be a list of entries (each line starting with '- ')"]);
    expect(problemsOf(corpusFile("broken.yaml", '- { text: "latte", kind: items\n'))[0]).toMatch(/^line \d+: not valid YAML: /);
  });

  it("loads every .yaml of a folder, in order of name", () => {
    const folder = mkdtempSync(join(dir, "folder-"));
    writeFileSync(join(folder, "zh-CN.yaml"), '- { text: "拿铁", kind: items, expect: [{ product: latte }] }\n');
    writeFileSync(join(folder, "en.yaml"), '- { text: "latte", kind: items, expect: [{ product: latte }] }\n');
    writeFileSync(join(folder, "README.md"), "not a corpus\n");
    expect(loadCorpusFolder(folder, catalog).map((c) => c.locale)).toEqual(["en", "zh-CN"]);
  });
});
