import { describe, expect, it } from "vitest";
import { compileExpression, MAX_EXPRESSION_LENGTH, type CompiledExpression } from "./expression.ts";
import type { ConversationScope } from "./scope.ts";

const scope = (slots: ConversationScope["slots"], total = 0): ConversationScope => ({
  slots,
  cart: { lines: [{ name: "Latte", quantity: 2, options: ["M"], unitPrice: 320, lineTotal: 640 }], total, currency: "EUR" },
  customer: { id: "alice", channel: "emulator", locale: "en" },
  bot: { name: "Café" },
});

function compiled(source: string): CompiledExpression {
  const result = compileExpression(source);
  if (!result.ok) throw new Error(result.message);
  return result.expression;
}

function refusal(source: string): string {
  const result = compileExpression(source);
  if (result.ok) throw new Error(`expected '${source}' to be refused`);
  return result.message;
}

describe("branch conditions in CEL", () => {
  it("is true or false over slots and the cart, whole numbers being integers", () => {
    const senior = compiled("slots.age >= 65 && cart.total > 1000");
    expect(senior.evaluate(scope({ age: 70 }, 1200))).toBe(true);
    expect(senior.evaluate(scope({ age: 70 }, 900))).toBe(false);
    expect(senior.evaluate(scope({ age: 30 }, 1200))).toBe(false);
    expect(compiled("slots.age + 1 == 71 && slots.ratio > 0.5").evaluate(scope({ age: 70, ratio: 0.75 }))).toBe(true);
    expect(compiled('cart.lines.exists(l, l.name == "Latte" && "M" in l.options)').evaluate(scope({}))).toBe(true);
    expect(compiled("customer.channel == 'emulator' && order == null").evaluate(scope({}))).toBe(true);
  });

  it("compiles a condition once", () => {
    expect(compileExpression("slots.a == 1")).toBe(compileExpression("slots.a == 1"));
  });

  it("reaches nothing outside the conversation", () => {
    expect(refusal("process.exit(1)")).toMatch(/Unknown variable: process/);
    expect(refusal("this == null")).toMatch(/Unknown variable: this/);
    expect(refusal("constructor == null")).toMatch(/Unknown variable: constructor/);
    // A field the data does not own is not there, prototype or not.
    expect(() => compiled("slots.constructor != null").evaluate(scope({}))).toThrow(/No such key: constructor/);
    expect(() => compiled('slots.name.constructor == ""').evaluate(scope({ name: "x" }))).toThrow(/No such key/);
  });

  it("refuses what could run long: over-long text, nested list macros, regexes", () => {
    const long = `slots.a == "${"x".repeat(MAX_EXPRESSION_LENGTH)}"`;
    expect(refusal(long)).toBe(`is ${long.length} characters long; a condition may have at most ${MAX_EXPRESSION_LENGTH}`);
    expect(refusal("[1, 2].exists(x, [1, 2].exists(y, x == y))")).toMatch(/nests exists\(\) inside another list macro/);
    expect(refusal('slots.name.matches("(a+)+$")')).toMatch(/uses matches\(\)/);
    // A chain is not a nest: each macro runs once over its list.
    expect(compiled("cart.lines.map(l, l.quantity).filter(q, q > 1).size() == 1").evaluate(scope({}))).toBe(true);
  });

  it("must be true or false", () => {
    expect(refusal("1 + 1")).toBe("gives int, not true or false");
    expect(refusal("slots.age >=")).toMatch(/^is not a valid condition: /);
    expect(() => compiled("slots.name").evaluate(scope({ name: "Al" }))).toThrow('gave "Al", not true or false');
  });

  it("fails on a slot that is not set, unless it tests for it first", () => {
    expect(() => compiled("slots.age >= 65").evaluate(scope({}))).toThrow(/No such key: age/);
    expect(compiled("has(slots.age) && slots.age >= 65").evaluate(scope({}))).toBe(false);
    expect(compiled("has(slots.age) && slots.age >= 65").reads).toEqual([{ text: "slots.age", root: "slots", slot: "age", guarded: true }]);
    expect(compiled("slots.age >= 65").reads).toEqual([{ text: "slots.age", root: "slots", slot: "age", guarded: false }]);
  });
});
