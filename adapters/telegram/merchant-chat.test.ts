import { describe, expect, it } from "vitest";
import cafe from "../../bots/cafe/index.ts";
import { merchantMessage, parseShopData } from "./merchant-chat.ts";
import type { MerchantEvent } from "../../store/index.ts";

const paid: MerchantEvent = {
  id: "evt_1",
  botId: "cafe",
  type: "order.paid",
  created: new Date("2026-01-01T09:00:00Z"),
  data: { order: { id: "12", status: "paid", total: 360, currency: "EUR", channel: "telegram", items: [{ name: "Croissant <fresh>", quantity: 2 }] } },
};

describe("merchant chat messages", () => {
  it("writes a paid order as a card with three buttons, escaped, in the bot's default locale", () => {
    expect(merchantMessage(paid, cafe)).toEqual({
      text: "New order #12 — 2 × Croissant &lt;fresh&gt; — €3.60 (telegram)",
      keyboard: [
        [
          { text: "Preparing", callback_data: "shop:order:12:preparing" },
          { text: "Ready", callback_data: "shop:order:12:ready" },
        ],
        [{ text: "Cancel and refund", callback_data: "shop:order:12:cancel" }],
      ],
    });
    const french = merchantMessage(paid, { ...cafe, locale: "fr" });
    expect(french?.text).toBe("Nouvelle commande n° 12 — 2 × Croissant &lt;fresh&gt; — 3,60\u00a0€ (telegram)");
    expect(french?.keyboard?.flat().map((b) => b.text)).toEqual(["En préparation", "Prête", "Annuler et rembourser"]);
  });

  it("sends a card without buttons when an id would put its callback data over 64 bytes, and skips an event it cannot read", () => {
    const long = { ...paid, data: { order: { ...(paid.data.order as object), id: "x".repeat(60) } } };
    expect(merchantMessage(long, cafe)).not.toHaveProperty("keyboard");
    expect(merchantMessage({ ...paid, data: {} }, cafe)).toBeUndefined();
  });

  it("reads only its own button data", () => {
    expect(parseShopData("shop:order:12:ready")).toEqual({ kind: "order", id: "12", action: "ready" });
    expect(parseShopData("shop:booking:3:no_show")).toEqual({ kind: "booking", id: "3", action: "no_show" });
    for (const data of ["shop:order:12:no_show", "shop:booking:3:ready", "shop:order::ready", "order:12:ready", "shop:order:1:2:ready"]) expect(parseShopData(data), data).toBeUndefined();
  });
});
