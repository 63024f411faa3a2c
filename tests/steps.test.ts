import { describe, expect, it } from "vitest";
import { defineBot, flow } from "../flows/index.ts";
import { conversationOf, labelsOf, last, say, textsOf, useHarness } from "./helpers.ts";

/** A bot without a catalog that uses the generic steps: text, number, choice with routes, branch, action. */
const signup = defineBot({
  id: "club",
  name: "Club",
  flows: [
    flow("join")
      .askText("name", { prompt: "Your name?", slot: "name", maxLength: 20 })
      .askNumber("age", { prompt: "Your age?", slot: "age", min: 16, max: 120, retry: "An age from 16 to 120, please." })
      .choice("plan", {
        prompt: "Which plan?",
        slot: "plan",
        choices: [
          { label: "Monthly", value: "monthly", aliases: ["month"] },
          { label: "Yearly", value: "yearly" },
        ],
        routes: { yearly: "discount" },
      })
      .branch("senior", { cases: [{ when: { slot: "age", min: 65 }, goto: "discount" }], otherwise: "welcome" })
      .action("discount", "applyDiscount")
      .say("welcome", ({ slots }) => `Welcome, ${String(slots.name)}! Plan: ${String(slots.plan)}, discount: ${String(slots.discount ?? 0)}%.`)
      .end("done")
      .build(),
  ],
  actions: {
    applyDiscount: (ctx) => {
      ctx.slots.discount = ctx.slots.plan === "yearly" ? 15 : 10;
    },
  },
});

describe("generic steps", () => {
  const harness = useHarness();

  it("validates text and numbers, re-asking with the flow's own words", async () => {
    const emulator = await harness.open({ bot: signup });
    const kim = emulator.customer("kim");
    expect(textsOf(await kim.send("hello"))).toEqual(["Your name?"]);
    expect(textsOf(await kim.send("a name that is far too long to keep"))).toEqual([
      "That's a bit long: please keep it under 20 characters.",
      "Your name?",
    ]);
    expect(textsOf(await kim.send("Kim"))).toEqual(["Your age?"]);
    for (const bad of ["twelve", "12", "121", "30.5"]) {
      expect(textsOf(await kim.send(bad))).toEqual(["An age from 16 to 120, please.", "Your age?"]);
    }
    const plan = await kim.send("30");
    expect(last(plan).text).toBe("Which plan?");
    expect(labelsOf(last(plan))).toEqual(["Monthly", "Yearly"]);
    expect(await conversationOf(emulator, "kim")).toMatchObject({ stepId: "plan", data: { slots: { name: "Kim", age: 30 } } });
  });

  it("routes a choice, branches on a slot and runs an action", async () => {
    const emulator = await harness.open({ bot: signup });
    // Yearly routes straight to the discount action.
    expect(textsOf(await say(emulator.customer("a"), "hi", "Al", "30", "yearly")).at(-1)).toBe("Welcome, Al! Plan: yearly, discount: 15%.");
    // Monthly under 65: the branch's otherwise, no discount.
    expect(textsOf(await say(emulator.customer("b"), "hi", "Bo", "30", "month")).at(-1)).toBe("Welcome, Bo! Plan: monthly, discount: 0%.");
    // Monthly at 70: the branch's case sends them to the discount.
    expect(textsOf(await say(emulator.customer("c"), "hi", "Cy", "70", "1")).at(-1)).toBe("Welcome, Cy! Plan: monthly, discount: 10%.");
    // A choice that matches nothing is re-asked.
    const d = emulator.customer("d");
    await say(d, "hi", "Di", "40");
    expect(textsOf(await d.send("weekly"))).toEqual(["Please pick one of the options (tap a button or send its number).", "Which plan?"]);
    expect((await conversationOf(emulator, "c"))?.stepId).toBeNull();
  });

  it("follows a chain of exactly 100 steps in one turn, the most kiosk validate passes", async () => {
    const chain = flow("chain");
    for (let i = 1; i <= 99; i++) chain.say(`s${i}`, `Line ${i}`);
    const bot = defineBot({ id: "chain", name: "Chain", flows: [chain.askText("more", { prompt: "Anything else?", slot: "more" }).end("done").build()] });
    const emulator = await harness.open({ bot });
    const replies = textsOf(await emulator.customer("ada").send("hi"));
    expect(replies).toHaveLength(100);
    expect(replies.at(-1)).toBe("Anything else?");
  });
});
