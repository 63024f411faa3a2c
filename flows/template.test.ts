import { describe, expect, it } from "vitest";
import type { ConversationScope, TextFormat } from "./scope.ts";
import { compileTemplate, renderTemplate } from "./template.ts";

/** Intl puts no-break spaces in "6,40 €" and "1:30 AM"; tests compare with plain ones. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

const scope = (over: Partial<ConversationScope> = {}): ConversationScope => ({
  slots: {},
  cart: { lines: [], total: 0, currency: "EUR" },
  customer: { id: "alice", channel: "emulator", locale: "en" },
  bot: { name: "Café Lumière" },
  ...over,
});

const format = (locale: string, over: Partial<TextFormat> = {}): TextFormat => ({
  locale,
  timeZone: "Europe/Paris",
  currency: "EUR",
  productName: (id) => (id === "latte" ? "Latte" : undefined),
  ...over,
});

const render = (text: string, locale = "en", over: Partial<ConversationScope> = {}, fmt: Partial<TextFormat> = {}) =>
  plain(renderTemplate(text, scope(over), format(locale, fmt)));

// Paris springs forward at 01:00 UTC on 2027-03-28 and falls back at 01:00 UTC on 2027-10-31.
const BEFORE_SPRING = "2027-03-28T00:30:00Z";
const AFTER_SPRING = "2027-03-28T01:30:00Z";
const BEFORE_FALL = "2027-10-31T00:30:00Z";
const AFTER_FALL = "2027-10-31T01:30:00Z";

describe("texts as templates", () => {
  it("leaves a text without placeholders as it is, even one Liquid would not parse", () => {
    expect(renderTemplate("Price: {not a template} 100%", scope(), format("en"))).toBe("Price: {not a template} 100%");
  });

  it("compiles a text once", () => {
    expect(compileTemplate("Hi {{ customer.id }}")).toBe(compileTemplate("Hi {{ customer.id }}"));
  });

  it("reads slots, cart lines, the order, the customer and the bot", () => {
    const lines = [{ name: "Latte", quantity: 2, options: ["M", "Oat"], unitPrice: 320, lineTotal: 640 }];
    const order = { id: "7", status: "awaiting_payment", total: 640, currency: "EUR", items: lines, createdAt: AFTER_SPRING };
    const text = "{{ bot.name }} for {{ customer.id }}: {% for l in cart.lines %}{{ l.quantity }} × {{ l.name }} ({{ l.options | join: ', ' }}){% endfor %}, order #{{ order.id }}, {{ slots.note | upcase }}";
    expect(render(text, "en", { slots: { note: "no sugar" }, cart: { lines, total: 640, currency: "EUR" }, order })).toBe(
      "Café Lumière for alice: 2 × Latte (M, Oat), order #7, NO SUGAR",
    );
  });

  it("formats money in the bot's currency and the customer's locale, or in the currency given", () => {
    const cart = { lines: [], total: 123450, currency: "EUR" };
    expect(render("{{ cart.total | money }}", "en", { cart })).toBe("€1,234.50");
    expect(render("{{ cart.total | money }}", "fr", { cart })).toBe("1 234,50 €");
    expect(render("{{ cart.total | money }}", "zh-CN", { cart })).toBe("€1,234.50");
    expect(render("{{ slots.price | money }}", "en", { slots: { price: { amount: 500, currency: "JPY" } } })).toBe("¥500");
    expect(() => render("{{ slots.x | money }}", "en", { slots: { x: 3.2 } })).toThrow(/whole minor units/);
    expect(() => render("{{ 320 | money }}", "en", {}, { currency: undefined })).toThrow(/no catalog/);
  });

  it("shows dates and times in the business's zone, across both daylight-saving changes", () => {
    const times = (locale: string) => [BEFORE_SPRING, AFTER_SPRING, BEFORE_FALL, AFTER_FALL].map((at) => render("{{ slots.at | time }}", locale, { slots: { at } }));
    // An hour apart in UTC: two hours apart on the Paris clock in March, the same time twice in October.
    expect(times("en")).toEqual(["1:30 AM", "3:30 AM", "2:30 AM", "2:30 AM"]);
    expect(times("fr")).toEqual(["01:30", "03:30", "02:30", "02:30"]);
    expect(times("zh-CN")).toEqual(["01:30", "03:30", "02:30", "02:30"]);
    // Late on the 27th in UTC is already the 28th in Paris.
    const lateUtc = { slots: { at: "2027-03-27T23:30:00Z" } };
    expect(render("{{ slots.at | date }}", "en", lateUtc)).toBe("Mar 28, 2027");
    expect(render("{{ slots.at | date }}", "en", lateUtc, { timeZone: "UTC" })).toBe("Mar 27, 2027");
    expect(render("{{ slots.at | date: 'full' }}", "fr", { slots: { at: AFTER_FALL } })).toBe("dimanche 31 octobre 2027");
    expect(render("{{ slots.at | date: 'long' }}", "zh-CN", { slots: { at: AFTER_FALL } })).toBe("2027年10月31日");
    expect(render("{{ slots.at | date: 'short' }} {{ slots.at | time }}", "en", { slots: { at: Date.parse(AFTER_SPRING) } })).toBe("3/28/27 3:30 AM");
    expect(() => render("{{ slots.at | date: 'huge' }}", "en", { slots: { at: AFTER_FALL } })).toThrow(/short, medium, long or full/);
    expect(() => render("{{ slots.at | date }}", "en", { slots: { at: "next tuesday" } })).toThrow(/ISO instant/);
  });

  it("names a product from the catalog", () => {
    expect(render("How many {{ slots.product | product }}? (1–10)", "en", { slots: { product: "latte" } })).toBe("How many Latte? (1–10)");
  });

  it("refuses to render a variable that is not there rather than say 'undefined'", () => {
    // Not Liquid's count of the slots either: a slot called size is a slot.
    expect(() => render("Size {{ slots.size }}")).toThrow(/undefined variable: slots.size/);
    // Optional slots are read through if and default.
    expect(render("{% if slots.note %}Note: {{ slots.note }}{% else %}No note{% endif %}, {{ slots.size | default: 'M' }}")).toBe("No note, M");
  });

  it("reaches nothing outside the conversation", () => {
    expect(() => render("{{ slots.constructor }}")).toThrow(/undefined variable/);
    expect(() => render("{{ slots.name.constructor.name }}", "en", { slots: { name: "x" } })).toThrow(/undefined variable/);
    expect(() => render("{{ process.env }}")).toThrow(/undefined variable: process/);
    expect(compileTemplate("{% include '/etc/passwd' %}")).toMatchObject({ ok: false, message: expect.stringMatching(/tag "include" not found/) });
    expect(compileTemplate("{% render 'x' %}").ok).toBe(false);
  });

  it("stops a template that would run away", () => {
    expect(() => render("{% for i in (1..100000000) %}{{ i }}{% endfor %}")).toThrow(/limit/);
  });

  it("reports a syntax error and an unknown filter when compiled", () => {
    expect(compileTemplate("Hi {{ slots.name ")).toMatchObject({ ok: false, message: expect.stringMatching(/not closed/) });
    expect(compileTemplate("{{ cart.total | mony }}")).toMatchObject({ ok: false, filter: "mony" });
  });

  it("lists what it reads, and which reads the template guards itself", () => {
    const result = compileTemplate("{% if slots.note %}{{ slots.note }}{% else %}{{ slots.note }}{% endif %} {{ slots.size | default: 'M' }} {{ slots.qty }} {% for l in cart.lines %}{{ l.name }}{% endfor %}");
    if (!result.ok) throw new Error(result.message);
    expect(result.template.reads.map((r) => [r.text, r.slot, r.guarded])).toEqual([
      ["slots.note", "note", true], // the condition
      ["slots.note", "note", true], // inside the branch that tested it
      ["slots.note", "note", false], // the else branch
      ["slots.size", "size", true],
      ["slots.qty", "qty", false],
      ["cart.lines", undefined, false],
    ]);
  });
});
