import { describe, expect, it } from "vitest";
import { shop as cafeShop } from "../bots/cafe/catalog.ts";
import { defineBot, flow, FlowError } from "../flows/index.ts";
import { CROISSANT_STOCK, conversationOf, textsOf, useHarness } from "./helpers.ts";

const APOLOGY = "Sorry, something went wrong on our side. Nothing was changed; please try again.";

describe("a turn is all or nothing", () => {
  const harness = useHarness();

  it("rolls back an action that throws after reserving stock", async () => {
    const seenInsideAction: Array<{ reserved: boolean; left: number | null }> = [];
    const bot = defineBot({
      id: "bakery",
      name: "Bakery",
      ...cafeShop,
      flows: [
        flow("grab")
          .askText("name", { prompt: "Who is this for?", slot: "name" })
          .action("reserve", "holdCroissants")
          .end("done", "Held five croissants for you.")
          .build(),
      ],
      actions: {
        holdCroissants: async (ctx) => {
          const reserved = await ctx.reserveStock("croissant", 5);
          seenInsideAction.push({ reserved, left: await ctx.stockLeft("croissant") });
          ctx.say("Five croissants are yours!");
          throw new Error("the till is offline");
        },
      },
    });
    const errors: unknown[] = [];
    const emulator = await harness.open({ bot, onError: (error) => errors.push(error) });
    const zoe = emulator.customer("zoe");
    expect(textsOf(await zoe.send("hi"))).toEqual(["Who is this for?"]);
    const before = await conversationOf(emulator, "zoe");
    expect(before).toMatchObject({ stepId: "name", version: 1 });
    expect(await emulator.stockLeft("croissant")).toBe(CROISSANT_STOCK);

    const event = { key: "emulator:zoe-1", userId: "zoe", input: { kind: "text", text: "Zoe" } } as const;
    let result: Awaited<ReturnType<typeof emulator.deliver>> | undefined;
    const sent = await emulator.collect(async () => {
      result = await emulator.deliver(event);
    });

    // The action really did take the stock inside the turn…
    expect(seenInsideAction).toEqual([{ reserved: true, left: CROISSANT_STOCK - 5 }]);
    // …and the failed turn put everything back.
    expect(await emulator.stockLeft("croissant")).toBe(CROISSANT_STOCK);
    expect(await emulator.orders()).toEqual([]);
    expect(await conversationOf(emulator, "zoe")).toEqual(before);

    // The customer sees only a short apology, not what the action said before it threw.
    expect(sent.map((e) => [e.userId, e.message])).toEqual([["zoe", { text: APOLOGY }]]);

    expect(result?.status).toBe("failed");
    const error = result?.error;
    expect(error).toBeInstanceOf(FlowError);
    expect(error).toMatchObject({ code: "step_failed", where: { bot: "bakery", flow: "grab", step: "reserve" } });
    expect((error as Error).message).toContain("bot 'bakery', flow 'grab', step 'reserve'");
    expect((error as Error).message).toContain("action 'holdCroissants' threw: the till is offline");
    expect(errors).toEqual([error]);

    // A redelivery of the failed event is not run again.
    expect((await emulator.deliver(event)).status).toBe("duplicate");
    expect(seenInsideAction).toHaveLength(1);
    expect(await conversationOf(emulator, "zoe")).toEqual(before);
  });
});
