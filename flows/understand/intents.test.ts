import { describe, expect, it } from "vitest";
import type { BookingCalendar } from "../../commerce/index.ts";
import { bookingWords, expandPattern, readIntent } from "./intents.ts";

describe("readIntent", () => {
  it.each([
    ["cancel my order", { name: "cancel", about: "order" }],
    ["Cancel the order please", { name: "cancel", about: "order" }],
    ["annuler ma commande", { name: "cancel", about: "order" }],
    ["je veux annuler la commande", { name: "cancel", about: "order" }],
    ["取消订单", { name: "cancel", about: "order" }],
    ["请帮我取消我的订单", { name: "cancel", about: "order" }],
    ["cancel the booking", { name: "cancel", about: "booking" }],
    ["cancel my booking", { name: "cancel", about: "booking" }],
    ["I want to cancel my appointment", { name: "cancel", about: "booking" }],
    ["je voudrais annuler mon rendez-vous", { name: "cancel", about: "booking" }],
    ["我要取消预约", { name: "cancel", about: "booking" }],
    ["cancel", { name: "cancel" }],
    ["Cancel!", { name: "cancel" }],
    ["stop", { name: "cancel" }],
    ["annuler", { name: "cancel" }],
    ["取消", { name: "cancel" }],
  ] as const)("reads %j as cancel", (text, intent) => {
    expect(readIntent(text)).toEqual(intent);
  });

  it.each([
    ["orders", ["my orders", "orders", "where is my order", "where's my order?", "order status", "what's the status of my order", "mes commandes", "où en est ma commande", "我的订单", "我的订单在哪", "我的订单在哪里"]],
    ["bookings", ["my bookings", "my appointments", "when is my appointment", "when's my booking?", "mes rendez-vous", "mes rdv", "c'est quand mon rendez-vous", "我的预约", "我的预约是什么时候"]],
    ["menu", ["menu", "show me the menu", "can I see the menu please", "what's on the menu?", "la carte", "je peux voir la carte ?", "菜单", "请给我看看菜单"]],
    ["help", ["help", "help me please", "what can you do?", "aide", "à l'aide", "qu'est-ce que vous pouvez faire", "帮助", "你能做什么"]],
    [
      "human",
      ["talk to a person", "a human please", "I want to speak to someone", "can I talk to a real person?", "parler à quelqu'un", "je voudrais parler à une personne", "un humain", "人工", "转人工", "我要找人", "人工客服"],
    ],
  ] as const)("reads every phrase of %s, fillers and politeness read past", (name, phrases) => {
    for (const text of phrases) expect(readIntent(text), text).toEqual({ name });
  });

  it.each([
    // A cart correction names products: a later part reads it, never the cancel command.
    "cancel the croissants",
    "cancel the latte please",
    "annuler les croissants",
    "取消拿铁",
    "remove the latte",
    // Help with something named is a question about it, for the order reader, not the list of commands.
    "help me choose a latte",
    "menu du jour",
    // Wanting to order or to book is not asking for the list of orders or bookings.
    "I want to order",
    "I'd like a booking",
    "我要预约",
    // "carte" alone may answer a question about paying by card; "la carte" is the menu.
    "carte",
    "where is the bathroom",
    "a person",
    "please",
    "",
  ])("reads no intent in %j, which says more than an intent", (text) => {
    expect(readIntent(text)).toBeUndefined();
  });
});

/** A salon's services, as bookingWords gives them: names and aliases in every locale. */
const SERVICES: readonly string[] = ["Haircut", "Coupe", "剪发", "cut", "理发", "Colour", "Couleur", "染发", "color", "Beard trim", "Taille de barbe", "修胡子", "barbe"];
const salon = { bookingWords: SERVICES };

describe("readIntent, in a salon's words", () => {
  it.each([
    // A booking named by its service, its day or its number is still the booking to cancel.
    "please cancel my haircut",
    "can you cancel my booking for friday?",
    "cancel my colour on the 15th",
    "cancel my beard trim tomorrow",
    "cancel booking #1",
    "cancel the friday booking",
    "cancel my 3pm appointment",
    "call off our appointment",
    "I can't make it, cancel my booking",
    "sorry I can't come tomorrow, cancel my haircut",
    "cancel my booking, I won't make it",
    "Annulez mon rendez-vous svp",
    "je dois annuler mon rendez-vous",
    "annulez ma coupe s'il vous plaît",
    "pouvez-vous annuler mon rdv de vendredi ?",
    "annuler ma couleur du 15",
    "annule mon rdv stp",
    "annuler le rendez-vous n°1",
    "annulez le rdv de demain",
    "annuler mes réservations",
    "je ne pourrai pas venir, annulez mon rendez-vous",
    "取消明天的剪发",
    "周五的预约取消一下",
    "去不了了，取消预约吧",
    "取消我15号的染发",
    "麻烦取消一下我的预约",
    "取消1号预约",
    "预约取消",
    "取消下周五的预约",
    "把明天的理发取消掉",
    "我不去了，帮我把预约取消",
  ])("reads %j as cancelling a booking", (text) => {
    expect(readIntent(text, salon)).toEqual({ name: "cancel", about: "booking" });
  });

  it.each([
    ["cancel", ["cancel that", "cancel it", "annule", "annule ça", "annulez tout", "取消掉", "都取消"]],
    [
      "bookings",
      [
        "what time is my appointment?",
        "do I have a booking?",
        "do I have an appointment tomorrow?",
        "when's my haircut?",
        "what time is my colour on friday",
        "list my appointments",
        "what did I book?",
        "my upcoming appointments",
        "is my appointment confirmed?",
        "à quelle heure est mon rdv ?",
        "voir mes rendez-vous",
        "j'ai un rendez-vous ?",
        "j'ai un rdv demain ?",
        "c'est quand ma coupe ?",
        "qu'est-ce que j'ai réservé ?",
        "mes réservations",
        "我约的是几点？",
        "我有预约吗？",
        "我明天有预约吗",
        "我约了哪天？",
        "我剪发约的几号？",
        "预约记录",
        "查一下我的预约",
      ],
    ],
    ["orders", ["order history", "my past orders", "show me my orders", "voir mes commandes", "historique de mes commandes", "mes dernières commandes", "订单记录", "查看我的历史订单"]],
    [
      "menu",
      [
        "main menu",
        "start again",
        "start over",
        "back to the menu",
        "restart",
        "go back to the beginning",
        "take me back to the main menu",
        "menu principal",
        "recommencer",
        "on recommence",
        "retour au menu",
        "revenir au début",
        "on repart de zéro",
        "主菜单",
        "重新开始",
        "返回菜单",
        "回到首页",
        "从头开始",
      ],
    ],
    ["help", ["I'm stuck", "how do I use this?", "j'ai besoin d'aide", "vous pouvez m'aider ?", "comment ça fonctionne ?", "我需要帮助", "这个怎么操作", "我不会用"]],
    [
      "human",
      [
        "call me",
        "please call me back",
        "can someone from the salon call me?",
        "give me a call",
        "could you ring me back",
        "appelez-moi",
        "rappelez-moi svp",
        "quelqu'un du salon peut m'appeler ?",
        "vous pouvez me rappeler ?",
        "un vrai humain svp",
        "给我打电话",
        "打电话给我",
        "我要跟店里的人说话",
        "能让店员联系我吗",
        "让老板给我回个电话",
      ],
    ],
  ] as const)("reads every phrase of %s", (name, phrases) => {
    for (const text of phrases) expect(readIntent(text, salon), text).toEqual({ name });
  });

  it("takes a service in place of a booking only with the bot's booking words", () => {
    expect(readIntent("cancel my haircut")).toBeUndefined();
    expect(readIntent("cancel my haircut", salon)).toEqual({ name: "cancel", about: "booking" });
    expect(readIntent("c'est quand ma coupe ?")).toBeUndefined();
    expect(readIntent("c'est quand ma coupe ?", salon)).toEqual({ name: "bookings" });
  });

  it.each([
    // "Forget it" may mean forget what was just said: no cancel is guessed from it.
    "算了",
    "never mind",
    // Something more than a command: an item, a name, a quantity.
    "cancel my order and add a latte",
    "call me Ana",
    "annule le latte",
    "cancel 2 lattes",
    "cancel the croissants",
    // A service named alone, refused or asked for is a booking, not a command.
    "my haircut",
    "ma coupe",
    "no colour",
    "pas de couleur",
    "不染发",
    "a colour please",
    "cancel tomorrow",
    // Questions about something else: when the salon is open, when a time is free.
    "when can I get a haircut?",
    "what time do you close on saturday?",
    "vous fermez à quelle heure samedi ?",
    "c'est quand ?",
    "周六几点关门？",
    // Saying one has a booking is not asking for it: "j'ai un rendez-vous ?" asks, "j'ai un rendez-vous à 10h" says.
    "j'ai un rendez-vous à 10h",
    "I have an appointment at 10",
    "我有预约",
    // A reason for not coming is read only with a cancel.
    "I can't make it",
    "去不了了",
    "I have 2 kids",
  ])("reads no intent in %j", (text) => {
    expect(readIntent(text, salon)).toBeUndefined();
  });
});

describe("bookingWords", () => {
  it("lists every name and alias of the calendar's services, the same list for the same calendar", () => {
    const calendar: BookingCalendar = {
      timeZone: "Europe/Paris",
      currency: "EUR",
      granularityMinutes: 15,
      services: [{ id: "haircut", name: "Haircut", names: { fr: "Coupe" }, aliases: { en: ["cut"], "zh-CN": ["理发"] }, durationMinutes: 30, price: 2500 }],
      resources: [],
    };
    expect(bookingWords(calendar)).toEqual(["Haircut", "Coupe", "cut", "理发"]);
    expect(bookingWords(calendar)).toBe(bookingWords(calendar));
  });
});

describe("expandPattern", () => {
  it("spells out each choice, an empty one making its words optional", () => {
    expect(expandPattern("cancel {my|} {order|booking}")).toEqual(["cancel my order", "cancel my booking", "cancel order", "cancel booking"]);
  });

  it("spells out choices within choices, each phrase once", () => {
    expect(expandPattern("cancel {booking|<service> {booking|}} {now|}")).toEqual([
      "cancel booking now",
      "cancel booking",
      "cancel <service> booking now",
      "cancel <service> booking",
      "cancel <service> now",
      "cancel <service>",
    ]);
  });
});
