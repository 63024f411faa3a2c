import { describe, expect, it } from "vitest";
import { catalog } from "../bots/cafe/catalog.ts";
import { calendar } from "../bots/salon/calendar.ts";
import cafe from "../bots/cafe/index.ts";
import { defineBot } from "./bot.ts";
import { flow } from "./builder.ts";
import { FlowError } from "./errors.ts";

function errorOf(fn: () => unknown): FlowError {
  try {
    fn();
  } catch (error) {
    if (error instanceof FlowError) return error;
    throw error;
  }
  throw new Error("expected a FlowError, but nothing was thrown");
}

describe("defineBot", () => {
  it("loads the cafe", () => {
    expect(cafe.id).toBe("cafe");
    expect(cafe.main.flow.id).toBe("order");
    expect(cafe.main.start).toBe("greet");
    expect(cafe.menuStep).toBe("menu");
    expect([...cafe.main.steps.keys()]).toEqual(["greet", "menu", "quantity", "options", "add", "more", "review", "counter", "checkout", "pay", "done"]);
  });

  it("rejects a step target that is not a step, naming bot, flow, step and field and listing the steps", () => {
    const order = flow("order")
      .say("hello", "Hi")
      .confirm("more", { prompt: "More?", slot: "more", yes: "hello", no: "chekout" })
      .end("bye")
      .build();
    const error = errorOf(() => defineBot({ id: "shop", name: "Shop", flows: [order] }));
    expect(error.code).toBe("flow_invalid");
    expect(error.where).toEqual({ bot: "shop", flow: "order", step: "more", field: "no" });
    expect(error.message).toBe("bot 'shop', flow 'order', step 'more', field 'no': 'chekout' is not a step; steps are: hello, more, bye");
  });

  it("checks `next` and every other target field", () => {
    const badNext = flow("f").say("a", "A", "nowhere").end("z").build();
    expect(errorOf(() => defineBot({ id: "b", name: "B", flows: [badNext] })).where).toEqual({ bot: "b", flow: "f", step: "a", field: "next" });
    const badBranch = flow("f")
      .branch("route", { cases: [{ when: { slot: "x", exists: true }, goto: "z" }, { when: { slot: "y", equals: 1 }, goto: "gone" }], otherwise: "z" })
      .end("z")
      .build();
    expect(errorOf(() => defineBot({ id: "b", name: "B", flows: [badBranch] })).where.field).toBe("cases[1].goto");
    const badReview = flow("f").cartReview("review", { checkout: "pay", more: "review" }).end("z").build();
    expect(errorOf(() => defineBot({ id: "b", name: "B", catalog, flows: [badReview] })).where).toMatchObject({ step: "review", field: "checkout" });
  });

  it("rejects an action that is not registered, listing the ones that are", () => {
    const f = flow("grab").action("reserve", "holdCroissants").end("done").build();
    const none = errorOf(() => defineBot({ id: "bakery", name: "Bakery", flows: [f] }));
    expect(none.where).toEqual({ bot: "bakery", flow: "grab", step: "reserve", field: "action" });
    expect(none.message).toContain("bot 'bakery', flow 'grab', step 'reserve', field 'action': action 'holdCroissants' is not registered");
    expect(none.message).toContain("none yet");

    const other = errorOf(() => defineBot({ id: "bakery", name: "Bakery", flows: [f], actions: { holdBaguettes: () => undefined, ping: () => undefined } }));
    expect(other.message).toContain("known: holdBaguettes, ping");
    expect(() => defineBot({ id: "bakery", name: "Bakery", flows: [f], actions: { holdCroissants: () => undefined } })).not.toThrow();
  });

  it("rejects duplicate step ids, catalog steps without a catalog, and bad bot ids", () => {
    const twice = flow("f").say("a", "A").say("a", "again").build();
    expect(errorOf(() => defineBot({ id: "b", name: "B", flows: [twice] })).message).toBe(
      "bot 'b', flow 'f', step 'a': is defined twice; step ids must be unique in a flow",
    );
    const shop = flow("f").catalog("menu", { prompt: "What?" }).end("z").build();
    expect(errorOf(() => defineBot({ id: "b", name: "B", flows: [shop] })).message).toBe(
      "bot 'b', flow 'f', step 'menu': a 'catalog' step needs the bot to have a catalog",
    );
    expect(errorOf(() => defineBot({ id: "Bad Bot", name: "B", flows: [shop] })).where).toEqual({ bot: "Bad Bot" });
    expect(errorOf(() => defineBot({ id: "b", name: "B", flows: [] })).message).toBe("bot 'b': has no flows");
  });

  it("checks a booking bot's steps, calendar and terms when it loads", () => {
    const booking = flow("booking").book("book").pay("pay").end("done").build();
    expect(errorOf(() => defineBot({ id: "salon", name: "Salon", flows: [booking] })).message).toBe(
      "2 problems:\n" +
        "  bot 'salon', flow 'booking', step 'book': a 'book' step needs the bot to have a booking calendar\n" +
        "  bot 'salon', flow 'booking', step 'pay': a 'pay' step needs something to pay for: a catalog or a booking calendar",
    );
    const wrongHours = { ...calendar, resources: [{ id: "ana", name: "Ana", weeklyHours: { mon: [{ from: "09:00", to: "25:00" }] } }] };
    expect(errorOf(() => defineBot({ id: "salon", name: "Salon", calendar: wrongHours, flows: [booking] })).message).toBe(
      'bot \'salon\': calendar: ana.weeklyHours.mon.to: "25:00" is not a wall-clock time HH:MM',
    );
    const twice = { ...calendar, services: [...calendar.services, ...calendar.services.slice(0, 1)] };
    expect(errorOf(() => defineBot({ id: "salon", name: "Salon", calendar: twice, flows: [booking] })).message).toBe('bot \'salon\': calendar: service "haircut" is listed twice');
    expect(errorOf(() => defineBot({ id: "salon", name: "Salon", calendar, bookingPolicy: { reminders: ["tomorrow"] }, flows: [booking] })).message).toBe(
      "bot 'salon': bookingPolicy: reminder 'tomorrow' is not a positive ISO 8601 duration (e.g. PT24H)",
    );
    expect(defineBot({ id: "salon", name: "Salon", calendar, flows: [booking] }).bookStep).toBe("book");
  });
});
