import { describe, expect, it } from "vitest";
import { defineBot, flow } from "../flows/index.ts";
import { conversationOf, textsOf, useHarness } from "./helpers.ts";

const TEXTS = {
  "1": { hello: "Hello from v1", name: "Your name?", check: "Is {{ slots.name }} right?", bye: "Bye from v1" },
  "2": { hello: "Hello from v2", name: "What is your name?", check: "Confirm {{ slots.name }}?", bye: "Bye from v2" },
} as const;

/** The same flow, edited between two deploys: every text the customer sees says which edit it came from. */
function club(version: "1" | "2", texts: "1" | "2" = version) {
  const v = TEXTS[texts];
  return defineBot({
    id: "club",
    name: "Club",
    flows: [
      flow("join", version)
        .say("hello", v.hello)
        .askText("name", { prompt: v.name, slot: "name" })
        .confirm("check", { prompt: v.check, slot: "ok", no: "name" })
        .end("bye", v.bye)
        .build(),
    ],
  });
}

describe("flow versions", () => {
  const harness = useHarness();

  it("finishes a conversation on the version it started with after a redeploy; new conversations get the new one", async () => {
    const before = await harness.open({ bot: club("1") });
    expect(textsOf(await before.customer("old").send("hi"))).toEqual(["Hello from v1", "Your name?"]);
    await before.close();

    const after = await harness.open({ bot: club("2") });
    const old = after.customer("old");
    expect(textsOf(await old.send("Ann"))).toEqual(["Is Ann right?"]);
    expect(textsOf(await after.customer("new").send("hi"))).toEqual(["Hello from v2", "What is your name?"]);
    await after.close();

    // Still v1 after another restart: the old version is kept in the store, not in memory.
    const again = await harness.open({ bot: club("2") });
    expect(textsOf(await again.customer("old").send("yes"))).toEqual(["Bye from v1"]);
    // Once its flow ended, the customer's next conversation is on v2, and v1 is no longer kept.
    expect(textsOf(await again.customer("old").send("hi"))).toEqual(["Hello from v2", "What is your name?"]);
    expect(await again.runtime.engine.registerFlowVersions()).toBe(1);
    expect((await conversationOf(again, "old"))?.flowVersion).toMatch(/^2@[0-9a-f]{12}$/);
  });

  it("treats an edited flow as a new version even when its author did not bump `version`", async () => {
    const first = await harness.open({ bot: club("1") });
    await first.customer("kim").send("hi");
    await first.close();
    const second = await harness.open({ bot: club("1", "2") });
    expect(textsOf(await second.customer("kim").send("Kim"))).toEqual(["Is Kim right?"]);
  });

  it("restarts a conversation whose old version could not be kept (a TS text function) instead of breaking it", async () => {
    const withGreeting = (hello: () => string) =>
      defineBot({
        id: "fn",
        name: "Fn",
        flows: [flow("f", "1").say("hello", hello).askText("name", { prompt: "Name?", slot: "name" }).end("bye", "Bye").build()],
      });
    const first = await harness.open({ bot: withGreeting(() => "Hi one") });
    expect(textsOf(await first.customer("lee").send("hi"))).toEqual(["Hi one", "Name?"]);
    await first.close();
    const second = await harness.open({ bot: withGreeting(() => "Hi two") });
    // A function cannot be saved, so the edited flow's old version is gone: the customer starts over.
    expect(textsOf(await second.customer("lee").send("Lee"))).toEqual(["Hi two", "Name?"]);
  });
});
