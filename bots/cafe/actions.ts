import type { Action } from "../../flows/index.ts";

/** Most items the counter takes in one order: one tray. */
export const TRAY_SIZE = 20;

const tooBig = {
  en: (size: number) => `One order fits on one tray: at most ${size} items. Please take a few out of your cart.`,
  fr: (size: number) => `Une commande tient sur un plateau : ${size} articles au plus. Retirez-en quelques-uns du panier.`,
  zh: (size: number) => `一份订单最多${size}件（一个托盘）。请从购物车中去掉一些。`,
};

function inLanguage(locale: string): (size: number) => string {
  const language = locale.split("-")[0];
  return language === "fr" || language === "zh" ? tooBig[language] : tooBig.en;
}

/**
 * The cafe's TS action, the example of business logic a flow cannot say as
 * data: an order of more than TRAY_SIZE items goes back to the cart.
 */
export const fitsOnOneTray: Action = (ctx) => {
  const items = ctx.cart.reduce((n, line) => n + line.quantity, 0);
  if (items <= TRAY_SIZE) return;
  ctx.say(inLanguage(ctx.locale)(TRAY_SIZE));
  return "review";
};
