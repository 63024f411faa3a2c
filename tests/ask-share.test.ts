/**
 * The ask inputs `phone` and `location`: typed answers on every channel, a
 * shared contact or location where the channel has a button for it, and the
 * re-prompt in the customer's language on an answer that is neither.
 */
import { Readable, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { formatTranscriptResult, parseTranscript, runTranscript } from "../adapters/emulator/index.ts";
import { runJsonl } from "../adapters/emulator/jsonl.ts";
import { defineBot, flow, FlowFileError, formatProblem, parseFlowSource } from "../flows/index.ts";
import { parsePhone } from "../flows/steps/ask.ts";
import { conversationOf, last, textsOf, useHarness } from "./helpers.ts";

const delivery = defineBot({
  id: "florist",
  name: "Florist",
  locales: ["en", "fr"],
  flows: [
    flow("deliver")
      .askPhone("phone", { prompt: { en: "Your phone number?", fr: "Votre numéro ?" }, slot: "phone" })
      .askLocation("where", { prompt: { en: "Where to?", fr: "Où livrer ?" }, slot: "where", button: { en: "Send my location", fr: "Envoyer ma position" } })
      .say("thanks", { en: "Thanks, we'll call {{ slots.phone }}.", fr: "Merci, nous appellerons le {{ slots.phone }}." })
      .end("done")
      .build(),
  ],
});

describe("parsePhone", () => {
  it("keeps the digits of an international or national number and refuses the rest", () => {
    expect(parsePhone("+44 (20) 7946-0958")).toBe("+442079460958");
    expect(parsePhone("0044 20 7946 0958")).toBe("+442079460958");
    expect(parsePhone("06.12.34.56.78")).toBe("0612345678");
    expect(parsePhone(" +1 415 555 0100 ")).toBe("+14155550100");
    expect(parsePhone("+33 (0)6 12 34 56 78")).toBe("+33612345678");
    expect(parsePhone("＋８６ １３８ ００１３ ８０００")).toBe("+8613800138000");
    for (const bad of ["", "hello", "12345", "+1234567890123456", "+0 612 345 678", "06 12 34 56 7a", "06+12345678", "call me"]) expect(parsePhone(bad)).toBeUndefined();
  });
});

describe("ask phone and location", () => {
  const harness = useHarness();

  it("asks for a phone with a share button, re-asks on nonsense, stores the number typed without separators", async () => {
    const emulator = await harness.open({ bot: delivery });
    const kim = emulator.customer("kim");
    const first = await kim.send("hi");
    expect(first).toEqual([{ text: "Your phone number?", request: { kind: "contact", label: "Share my phone number" } }]);
    const refused = await kim.send("my number is secret");
    expect(textsOf(refused)).toEqual(["That doesn't look like a phone number. Please send it with its country code, e.g. +44 20 7946 0958.", "Your phone number?"]);
    expect(last(refused).request?.kind).toBe("contact");
    const next = await kim.send("+44 20 7946 0958");
    expect(next).toEqual([{ text: "Where to?", request: { kind: "location", label: "Send my location" } }]);
    expect(await conversationOf(emulator, "kim")).toMatchObject({ data: { slots: { phone: "+442079460958" } } });
  });

  it("re-asks in French, and takes a typed address", async () => {
    const emulator = await harness.open({ bot: delivery });
    const ana = emulator.customer("ana", { locale: "fr" });
    expect(last(await ana.send("bonjour")).request).toEqual({ kind: "contact", label: "Partager mon numéro" });
    expect(textsOf(await ana.send("123"))).toEqual([
      "Ce n'est pas un numéro de téléphone. Envoyez-le avec son indicatif, par exemple +33 6 12 34 56 78.",
      "Votre numéro ?",
    ]);
    expect(textsOf(await ana.send("06 12 34 56 78"))).toEqual(["Où livrer ?"]);
    expect(textsOf(await ana.send("ok"))).toEqual(["Partagez votre position, ou écrivez une adresse (3 à 200 caractères).", "Où livrer ?"]);
    const done = await ana.send("  12 rue   des Lilas, Paris ");
    expect(textsOf(done)).toEqual(["Merci, nous appellerons le 0612345678."]);
    // Leaving the question takes the share button away.
    expect(done[0]?.endsRequest).toBe(true);
    expect(await conversationOf(emulator, "ana")).toMatchObject({ data: { slots: { phone: "0612345678", where: { address: "12 rue des Lilas, Paris" } } } });
  });

  it("takes the customer's own shared contact and a shared location; refuses someone else's card and a location out of range", async () => {
    const emulator = await harness.open({ bot: delivery });
    const lee = emulator.customer("lee");
    await lee.send("hi");
    expect(textsOf(await lee.shareContact("+33 6 99 99 99 99", { own: false }))).toEqual([
      "That is someone else's contact. Please share your own number, or type it.",
      "Your phone number?",
    ]);
    expect(textsOf(await lee.shareLocation(48.85, 2.35))[0]).toBe("That doesn't look like a phone number. Please send it with its country code, e.g. +44 20 7946 0958.");
    // Telegram sends a contact's number with or without its +.
    const asked = await lee.shareContact("33612345678");
    // The next question shows its own button, so nothing takes the keyboard away.
    expect(asked).toEqual([{ text: "Where to?", request: { kind: "location", label: "Send my location" } }]);
    expect(textsOf(await lee.shareLocation(91, 2.35))).toEqual(["Please share your location, or type an address (3 to 200 characters).", "Where to?"]);
    const done = await lee.shareLocation(48.8566, 2.3522);
    expect(done).toEqual([{ text: "Thanks, we'll call +33612345678.", endsRequest: true }]);
    expect(await conversationOf(emulator, "lee")).toMatchObject({ data: { slots: { phone: "+33612345678", where: { latitude: 48.8566, longitude: 2.3522 } } } });
  });

  it("takes the button away when a command leaves the question, and keeps it on help", async () => {
    const emulator = await harness.open({ bot: delivery });
    const max = emulator.customer("max");
    await max.send("hi");
    const help = await max.send("help");
    expect(help.some((m) => m.endsRequest)).toBe(false);
    expect(last(help).request?.kind).toBe("contact");
    const cancelled = await max.send("cancel");
    expect(cancelled[0]?.endsRequest).toBe(true);
    expect(cancelled.some((m) => m.request)).toBe(false);
  });

  it("shares a contact and a location over the JSON-lines protocol, which shows the request", async () => {
    const emulator = await harness.open({ bot: delivery });
    const lines = [
      { user: "jo", text: "hi" },
      { user: "jo", contact: "+1 415 555 0100", own: false },
      { user: "jo", contact: "14155550100" },
      { user: "jo", location: { latitude: 37.77, longitude: -122.42 } },
      { user: "jo", location: { latitude: "north" } },
    ];
    let written = "";
    const output = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written += chunk.toString();
        done();
      },
    });
    await runJsonl(emulator, Readable.from(lines.map((l) => `${JSON.stringify(l)}\n`)), output);
    const out = written.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out).toEqual([
      { to: "jo", text: "Your phone number?", request: { kind: "contact", label: "Share my phone number" } },
      { done: 1 },
      { to: "jo", text: "That is someone else's contact. Please share your own number, or type it." },
      { to: "jo", text: "Your phone number?", request: { kind: "contact", label: "Share my phone number" } },
      { done: 2 },
      { to: "jo", text: "Where to?", request: { kind: "location", label: "Send my location" } },
      { done: 3 },
      { to: "jo", text: "Thanks, we'll call +14155550100." },
      { done: 4 },
      { error: expect.stringContaining("{user,location:{latitude,longitude}}") as unknown },
      { done: 5 },
    ]);
    expect(await conversationOf(emulator, "jo")).toMatchObject({ data: { slots: { where: { latitude: 37.77, longitude: -122.42 } } } });
  });

  it("plays contact and location turns in a transcript", async () => {
    const yaml = [
      "name: share in a transcript",
      "turns:",
      "  - text: hi",
      "  - contact: '+44 20 7946 0958'",
      "    expect:",
      "      - text: Where to?",
      "  - location: { latitude: 51.5, longitude: -0.12 }",
      "    expect:",
      "      - text: Thanks, we'll call +442079460958.",
    ].join("\n");
    const result = await runTranscript(delivery, parseTranscript(yaml, "share.transcript.yaml"));
    expect(result.passed, formatTranscriptResult(result)).toBe(true);
    // A location out of range is refused: the same transcript then fails.
    const wrong = await runTranscript(delivery, parseTranscript(yaml.replace("latitude: 51.5", "latitude: 95"), "share.transcript.yaml"));
    expect(wrong.passed).toBe(false);
  });

  it("reads phone and location asks from YAML, naming a wrong input or field", () => {
    const file = (ask: string) => `id: f\nversion: "1"\nsteps:\n  - id: p\n    type: ask\n${ask}\n  - id: e\n    type: end\n`;
    const problems = (text: string) => {
      try {
        parseFlowSource(text, "f.yaml");
      } catch (error) {
        if (error instanceof FlowFileError) return error.problems.map((p) => formatProblem(p));
        throw error;
      }
      return [];
    };
    expect(parseFlowSource(file("    input: phone\n    prompt: Your number?\n    slot: phone\n    button: { en: Share, fr: Partager }"), "f.yaml").steps[0]).toEqual({
      id: "p",
      type: "ask",
      input: "phone",
      prompt: "Your number?",
      slot: "phone",
      button: { en: "Share", fr: "Partager" },
    });
    expect(parseFlowSource(file("    input: location\n    prompt: Where?\n    slot: where"), "f.yaml").steps[0]).toEqual({ id: "p", type: "ask", input: "location", prompt: "Where?", slot: "where" });
    // The button's label is a text like the prompt: a bot in two languages needs it in both.
    const untranslated = flow("f").askPhone("p", { prompt: { en: "Number?", fr: "Numéro ?" }, slot: "p", button: { en: "Share" } }).end("e").build();
    expect(() => defineBot({ id: "x", name: "X", locales: ["en", "fr"], flows: [untranslated] })).toThrow(/button.*missing translation 'fr'/);
    expect(problems(file("    input: phonenumber\n    prompt: Your number?\n    slot: phone"))).toEqual([
      "f.yaml:6:12: flow 'f', step 'p', field 'input': 'phonenumber' is not an ask input; use one of text, number, choice, confirm, phone, location",
    ]);
    expect(problems(file("    input: phone\n    prompt: Your number?\n    slot: phone\n    buton: Share"))).toEqual([
      "f.yaml:9:5: flow 'f', step 'p', field 'buton': 'buton' is not a field of an 'ask' step with input 'phone'; did you mean 'button'?",
    ]);
  });

  it("reads a contact or location shared at another question as nothing said", async () => {
    const bot = defineBot({
      id: "club",
      name: "Club",
      flows: [flow("join").askNumber("age", { prompt: "Your age?", slot: "age" }).askText("name", { prompt: "Your name?", slot: "name" }).end("done", "Welcome!").build()],
    });
    const emulator = await harness.open({ bot });
    const kim = emulator.customer("kim");
    await kim.send("hi");
    // Telegram sends a contact's number without its +: it is no age.
    expect(textsOf(await kim.shareContact("33612345678"))).toEqual(["Please send a number.", "Your age?"]);
    expect(textsOf(await kim.send("30"))).toEqual(["Your name?"]);
    expect(textsOf(await kim.shareLocation(48.85, 2.35))).toEqual(["Sorry, I didn't get that.", "Your name?"]);
    expect(textsOf(await kim.shareContact("+33612345678"))).toEqual(["Sorry, I didn't get that.", "Your name?"]);
    expect(await conversationOf(emulator, "kim")).toMatchObject({ stepId: "name", data: { slots: { age: 30 } } });
  });
});
