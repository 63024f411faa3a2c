import { describe, expect, it } from "vitest";
import { expandPattern, readIntent } from "./intents.ts";

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

describe("expandPattern", () => {
  it("spells out each choice, an empty one making its words optional", () => {
    expect(expandPattern("cancel {my|} {order|booking}")).toEqual(["cancel my order", "cancel my booking", "cancel order", "cancel booking"]);
  });
});
