import { describe, expect, it } from "vitest";
import cafe from "../bots/cafe/index.ts";
import { catalog, shipping } from "../bots/cafe/catalog.ts";
import { defineBot, flow } from "../flows/index.ts";
import { conversationOf, labelsOf, last, say, textsOf, useHarness } from "./helpers.ts";

describe("languages", () => {
  const harness = useHarness();

  it("speaks the locale the customer's channel reports, with French names and prices", async () => {
    const emulator = await harness.open();
    const amelie = emulator.customer("amelie", { locale: "fr-FR" });
    const welcome = await amelie.send("/start");
    expect(textsOf(welcome)).toEqual(["Bienvenue au Café Lumière ! ☕", "Que désirez-vous ? Choisissez une catégorie, ou écrivez ce que vous voulez."]);
    expect(labelsOf(last(welcome))).toEqual(["Boissons", "Viennoiseries", "À emporter chez soi"]);

    const drinks = last(await amelie.press("Boissons"));
    expect(drinks.cards?.map((c) => c.title)).toEqual(["Expresso", "Café au lait", "Cappuccino"]);
    expect(labelsOf(drinks)).toEqual(["Retour"]);
    // The conversation keeps the bot's locale that fr-FR resolves to.
    expect((await conversationOf(emulator, "amelie"))?.locale).toBe("fr");
  });

  it("takes a product typed by its French name, in any language the bot speaks", async () => {
    const emulator = await harness.open();
    expect(textsOf(await say(emulator.customer("fr", { locale: "fr" }), "/start", "cafe au lait"))).toContain("Combien de Café au lait ? (1–10)");
    // An English customer who types the French name gets it too, shown in English.
    expect(textsOf(await say(emulator.customer("en"), "/start", "expresso")).at(-1)).toBe("How many Espresso? (1–10)");
  });

  it("falls back to the bot's default locale for a language it does not speak", async () => {
    const emulator = await harness.open();
    expect(textsOf(await emulator.customer("hans", { locale: "de-DE" }).send("/start"))[0]).toBe("Welcome to Café Lumière! ☕");
  });

  it("offers the bot's languages, each named in itself, and leaves the step's answers as they were", async () => {
    const emulator = await harness.open();
    const ann = emulator.customer("ann");
    await say(ann, "/start", "latte");
    const offered = await ann.send("language");
    expect(textsOf(offered)).toEqual(["Which language would you like?"]);
    expect(labelsOf(last(offered))).toEqual(["English", "Français", "中文（中国）"]);
    // Typed text still answers the quantity question the customer is at.
    expect(textsOf(await ann.send("2"))).toEqual(["Which size for your Latte?"]);
    expect(labelsOf(last(await ann.send("langue")))).toEqual(["English", "Français", "中文（中国）"]);
  });

  it("switches language mid-order: the cart stays and the current step is asked again in the new language", async () => {
    const emulator = await harness.open();
    const ann = emulator.customer("ann");
    await say(ann, "/start", "croissant", "3");
    await ann.send("/language");
    const switched = await ann.press("Français");
    expect(textsOf(switched)).toEqual(["D'accord, je parle français.", "Autre chose ?"]);
    expect(labelsOf(last(switched))).toEqual(["Oui", "Non"]);
    expect(textsOf(await ann.send("non"))).toEqual(["Votre commande :\n1. 3 × Croissant — 5,40\u00a0€\nTotal : 5,40\u00a0€"]);
    expect((await conversationOf(emulator, "ann"))?.locale).toBe("fr");

    await ann.send("语言");
    const chinese = await ann.press("中文（中国）");
    expect(textsOf(chinese)).toEqual(["好的，我们用中文交流。", "您的订单：\n1. 3 × 牛角面包 — €5.40\n合计：€5.40"]);
  });

  it("ignores a language button for a locale the bot does not speak, and offers its own again", async () => {
    const emulator = await harness.open();
    const ann = emulator.customer("ann");
    await ann.send("/start");
    const replies = await ann.press("cmd:language:de");
    expect(textsOf(replies)).toEqual(["Which language would you like?"]);
    expect((await conversationOf(emulator, "ann"))?.locale).toBe("en");
  });

  it("understands the commands in each language", async () => {
    const emulator = await harness.open();
    const wei = emulator.customer("wei", { locale: "zh-CN" });
    await say(wei, "/start", "牛角面包", "2");
    expect(textsOf(await wei.send("取消"))).toEqual(["已取消：没有下任何订单。发送任意消息重新开始。"]);
    const denis = emulator.customer("denis", { locale: "fr" });
    await denis.send("/start");
    expect(textsOf(await denis.send("aide"))[0]).toContain("langue (changer de langue)");
    expect(textsOf(await denis.send("mes commandes"))[0]).toBe("Vous n'avez pas encore de commande.");
  });

  it("lists orders with their status in the customer's language", async () => {
    const emulator = await harness.open();
    const denis = emulator.customer("denis", { locale: "fr" });
    await say(denis, "/start", "croissant", "2", "non");
    await denis.press("Commander");
    expect(textsOf(await denis.send("mes commandes"))[0]).toBe("Vos commandes :\n#1 — en attente de paiement — 3,60\u00a0€");
    await denis.pay("succeed");
    expect(textsOf(await denis.send("mes commandes"))[0]).toBe("Vos commandes :\n#1 — payée — 3,60\u00a0€");
  });

  it("shows a choice's translated labels, and takes its label typed in any of the bot's languages", async () => {
    const survey = flow("survey", "1")
      .choice("milk", {
        prompt: { en: "Which milk?", fr: "Quel lait ?" },
        slot: "milk",
        choices: [
          { label: { en: "Oat", fr: "Avoine" }, value: "oat" },
          { label: { en: "Cow", fr: "Vache" }, value: "cow" },
        ],
      })
      .end("done", { en: "Noted: {{ slots.milk }}.", fr: "Noté : {{ slots.milk }}." })
      .build();
    const bot = defineBot({ id: "survey", name: "Survey", catalog, shipping, folder: cafe.folder, locales: ["en", "fr"], flows: [survey] });
    const emulator = await harness.open({ bot });
    const fr = emulator.customer("fr", { locale: "fr" });
    expect(labelsOf(last(await fr.send("/start")))).toEqual(["Avoine", "Vache"]);
    expect(textsOf(await fr.send("oat"))).toEqual(["Noté : oat."]);
    const en = emulator.customer("en", { locale: "en-GB" });
    expect(labelsOf(last(await en.send("/start")))).toEqual(["Oat", "Cow"]);
    expect(textsOf(await en.send("vache"))).toEqual(["Noted: cow."]);
  });

  it("apologises in the customer's language when a turn fails", async () => {
    const bot = defineBot({
      id: "till",
      name: "Till",
      locale: "en",
      locales: ["en", "fr"],
      flows: [
        flow("pay")
          .askText("name", { prompt: { en: "Your name?", fr: "Votre nom ?" }, slot: "name" })
          .action("charge", "charge")
          .end("done", { en: "Done.", fr: "Fini." })
          .build(),
      ],
      actions: {
        charge: () => {
          throw new Error("the till is offline");
        },
      },
    });
    const emulator = await harness.open({ bot, onError: () => {} });
    const zoe = emulator.customer("zoe", { locale: "fr" });
    expect(textsOf(await zoe.send("bonjour"))).toEqual(["Votre nom ?"]);
    expect(textsOf(await zoe.send("Zoé"))).toEqual(["Désolé, un problème est survenu de notre côté. Rien n'a changé ; réessayez."]);
    expect(textsOf(await emulator.customer("ann").send("hi"))).toEqual(["Your name?"]);
    expect(textsOf(await emulator.customer("ann").send("Ann"))).toEqual(["Sorry, something went wrong on our side. Nothing was changed; please try again."]);
  });
});
