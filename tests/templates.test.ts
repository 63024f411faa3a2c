import { describe, expect, it } from "vitest";
import { shop as cafeShop } from "../bots/cafe/catalog.ts";
import { defineBot, flow, FlowError } from "../flows/index.ts";
import { say, textsOf, useHarness } from "./helpers.ts";

const APOLOGY = "Sorry, something went wrong on our side. Nothing was changed; please try again.";

/** Intl puts no-break spaces in "10:00 AM"; compare with plain ones. */
const plain = (texts: string[]) => texts.map((t) => t.replace(/[\u00a0\u202f]/g, " "));

const club = defineBot({
  id: "club",
  name: "Club Lumière",
  timeZone: "Europe/Paris",
  ...cafeShop,
  flows: [
    flow("join")
      .askNumber("age", { prompt: "Your age, {{ customer.id }}?", slot: "age", min: 16, max: 120, retry: "'{{ slots.age }}' is not an age from 16 to 120." })
      .branch("route", { cases: [{ when: "slots.age >= 65 && customer.channel == 'emulator'", goto: "senior" }], otherwise: "regular" })
      .say("senior", "At {{ slots.age }}, the senior rate: {{ 450 | money }}.", "book")
      .say("regular", "The rate: {{ 900 | money }}.")
      .action("book", "stampVisit")
      .say("booked", "First visit: {{ slots.visit | date }} at {{ slots.visit | time }}.")
      .end("done", "See you at {{ bot.name }}.")
      .build(),
  ],
  actions: {
    stampVisit: (ctx) => {
      ctx.slots.visit = ctx.now.toISOString();
    },
  },
});

describe("templates and CEL conditions in a running bot", () => {
  const harness = useHarness();

  it("branches on a CEL condition and fills texts from the conversation, in the bot's zone", async () => {
    const emulator = await harness.open({ bot: club });
    const kim = emulator.customer("kim");
    expect(textsOf(await kim.send("hi"))).toEqual(["Your age, kim?"]);
    // A retry quotes the refused answer, which is not stored.
    expect(textsOf(await kim.send("old"))).toEqual(["'old' is not an age from 16 to 120.", "Your age, kim?"]);
    // The clock is at 09:00 UTC on 1 March 2025: 10:00 in Paris.
    expect(plain(textsOf(await kim.send("70")))).toEqual(["At 70, the senior rate: €4.50.", "First visit: Mar 1, 2025 at 10:00 AM.", "See you at Club Lumière."]);
    expect(plain(textsOf(await say(emulator.customer("lou"), "hi", "30")))).toEqual([
      "Your age, lou?",
      "The rate: €9.00.",
      "First visit: Mar 1, 2025 at 10:00 AM.",
      "See you at Club Lumière.",
    ]);
  });

  it("shows the order a checkout placed", async () => {
    const shop = defineBot({
      id: "shop",
      name: "Shop",
      ...cafeShop,
      flows: [
        flow("order")
          .catalog("menu", { prompt: "What would you like?" })
          .quantity("qty", { prompt: "How many {{ slots.product | product }}?" })
          .options("options")
          .addToCart("add")
          .cartReview("review", { checkout: "checkout", more: "menu" })
          .checkout("checkout", { back: "review" })
          .say("placed", "Order #{{ order.id }}, {{ order.items.size }} line: {{ order.total | money }} ({{ order.status }}).")
          .pay("pay")
          .end("done")
          .build(),
      ],
    });
    const emulator = await harness.open({ bot: shop });
    const ann = await say(emulator.customer("ann"), "hi", "Latte", "2", "M", "1");
    expect(textsOf(ann)).toContain("Order #1, 1 line: €6.40 (awaiting_payment).");
  });

  it("apologises and names bot, flow and step when a text reads a slot an action did not set", async () => {
    const bot = defineBot({
      id: "club",
      name: "Club",
      flows: [flow("greet").action("load", "loadProfile").say("hi", "Hi {{ slots.name }}").build()],
      actions: { loadProfile: () => undefined },
    });
    const errors: unknown[] = [];
    const emulator = await harness.open({ bot, onError: (error) => errors.push(error) });
    expect(textsOf(await emulator.customer("kim").send("hello"))).toEqual([APOLOGY]);
    const [error] = errors;
    expect(error).toBeInstanceOf(FlowError);
    expect(error).toMatchObject({ code: "step_failed", where: { bot: "club", flow: "greet", step: "hi" } });
    expect((error as Error).message).toBe(`bot 'club', flow 'greet', step 'hi': text "Hi {{ slots.name }}" cannot be shown: undefined variable: slots.name, line:1, col:7`);
  });

  it("apologises when a condition reads a slot an action did not set", async () => {
    const bot = defineBot({
      id: "club",
      name: "Club",
      flows: [
        flow("greet")
          .action("load", "loadProfile")
          .branch("vip", { cases: [{ when: "slots.tier == 'gold'", goto: "gold" }], otherwise: "bye" })
          .say("gold", "Welcome back!")
          .end("bye", "Hello.")
          .build(),
      ],
      actions: { loadProfile: () => undefined },
    });
    const errors: unknown[] = [];
    const emulator = await harness.open({ bot, onError: (error) => errors.push(error) });
    expect(textsOf(await emulator.customer("kim").send("hello"))).toEqual([APOLOGY]);
    expect(errors[0]).toMatchObject({ code: "step_failed", where: { bot: "club", flow: "greet", step: "vip" } });
    expect((errors[0] as Error).message).toBe(`bot 'club', flow 'greet', step 'vip': condition "slots.tier == 'gold'" cannot be evaluated: No such key: tier`);
  });
});
