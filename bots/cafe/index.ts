import { defineBot, flow } from "../../flows/index.ts";
import { catalog } from "./catalog.ts";

/**
 * Café Lumière: browse the menu, pick drinks with options, fill a cart,
 * confirm, pay, get a receipt.
 */
export const order = flow("order", "1")
  .say("greet", "Welcome to Café Lumière! ☕")
  .catalog("menu", { prompt: "What would you like? Pick a category, or just type what you want." })
  .quantity("quantity", {
    prompt: "How many {{ slots.product | product }}? (1–10)",
    min: 1,
    max: 10,
  })
  .options("options")
  .addToCart("add")
  .confirm("more", { prompt: "Anything else?", slot: "wantsMore", yes: "menu", no: "review" })
  .cartReview("review", { checkout: "checkout", more: "menu" })
  .checkout("checkout", { back: "review" })
  .pay("pay")
  .end("done", "Enjoy! Send anything to order again.")
  .build();

export default defineBot({
  id: "cafe",
  name: "Café Lumière",
  locale: "en",
  timeZone: "Europe/Paris",
  catalog,
  flows: [order],
  paymentWindowMs: 15 * 60_000,
});
