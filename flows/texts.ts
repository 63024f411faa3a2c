import type { OrderStatus } from "../commerce/index.ts";
import { resolveLocale } from "./locale.ts";
import { frenchTexts } from "./texts-fr.ts";
import { chineseTexts } from "./texts-zh.ts";
import { englishBookingTexts, type BookingTexts } from "./texts-booking.ts";

/**
 * The words built-in steps and commands use, one set per language (see
 * BUILT_IN_TEXTS). A bot may override any of them, per locale.
 */
export interface Texts extends BookingTexts {
  notUnderstood: string;
  /** A card action taken (Teams' answer to an Adaptive Card `Action.Execute`); the replies follow in the chat. */
  actionReceived: string;
  /** A photo, voice note, sticker or file sent where the bot reads only text and buttons; the step is asked again after it. */
  mediaNotRead: string;
  chooseOne: string;
  /** Typed text at the menu that names nothing on it: what was typed (clipped), and a product to show how to ask. */
  notOnMenu: (typed: string, example: string) => string;
  numberRange: (min: number, max: number) => string;
  numberInvalid: string;
  textTooLong: (max: number) => string;
  /** A typed phone number that is not one. */
  phoneInvalid: string;
  /** A contact card shared that is someone else's. */
  phoneNotOwn: string;
  /** The button that shares the customer's own number. */
  sharePhone: string;
  /** A typed address too short or too long, or something that is no place. */
  locationInvalid: string;
  /** The button that shares where the customer is. */
  shareLocation: string;
  yes: string;
  no: string;
  yesWords: readonly string[];
  noWords: readonly string[];
  categoriesPrompt: string;
  back: string;
  add: string;
  soldOut: string;
  soldOutProduct: (name: string) => string;
  /** A product in another currency than the cart's: it goes in an order of its own. */
  orderedAlone: (name: string, currency: string) => string;
  /** The button on "my orders" of a paid order that may still be cancelled for a refund. */
  cancelOrderButton: (order: string) => string;
  confirmCancelOrder: (order: string, refund: string) => string;
  keepOrder: string;
  orderKept: (order: string) => string;
  orderCancelledRefund: (order: string, refund: string) => string;
  /** The shop moved a paid order on: preparing it, ready for the customer, collected, delivered. */
  orderFulfilment: (order: string, status: "preparing" | "ready" | "collected" | "delivered") => string;
  /** The shop cancelled a paid order: the whole payment goes back. */
  orderCancelledByShop: (order: string, refund: string) => string;
  orderNotCancellable: (order: string) => string;
  /** The answer in a group chat: ordering moves to a private chat with the bot. */
  groupInvitation: (bot: string) => string;
  openPrivateChat: (bot: string) => string;
  /** Declining a shipping address the business does not send to. */
  notShippedThere: string;
  /** The receipt's shipping line. */
  shippingLine: (option: string, price: string) => string;
  /** The name of Telegram Stars (XTR), Telegram's currency for digital goods. */
  telegramStars: string;
  onlyLeft: (left: number, name: string) => string;
  optionPrompt: (group: string, product: string) => string;
  added: (summary: string, cartTotal: string) => string;
  cartEmpty: string;
  cartHeader: string;
  cartTotal: (total: string) => string;
  placeOrder: string;
  placeOrderWords: readonly string[];
  changeQuantity: string;
  removeItem: string;
  addMore: string;
  whichItem: string;
  newQuantity: (name: string) => string;
  removed: (name: string) => string;
  /** A product taken out of the cart by a correction at "Anything else?" ("remove the croissants"), with the cart's new total. */
  correctionRemoved: (name: string, cartTotal: string) => string;
  /** The last line changed by a correction ("make it large", "no, 3"): the line as it is now, with the cart's new total. */
  correctionChanged: (summary: string, cartTotal: string) => string;
  /** A correction removing a product the cart does not hold: nothing changes. */
  notInCart: (name: string) => string;
  invoiceTitle: (bot: string, order: string) => string;
  orderPlaced: (order: string, total: string, minutes: number) => string;
  awaitingPayment: (order: string, total: string) => string;
  paymentDeclined: (reason: string) => string;
  paymentMismatch: (order: string) => string;
  paymentTooLate: (order: string) => string;
  receipt: (order: string, lines: string, total: string) => string;
  orderExpired: (order: string) => string;
  /** A payment the provider asks about before charging is refused: the order no longer awaits it. */
  orderNotPayable: (order: string) => string;
  /** A payment the provider asks about names no order at all (an invoice Kiosk did not send, or one from an older format). */
  invoiceNotValid: string;
  help: string;
  /** Asked for a person: nobody from the business reads this chat yet, so say so and what the bot can do. */
  noHumanYet: string;
  cancelled: string;
  cancelledOrder: (order: string) => string;
  noOrders: string;
  ordersHeader: string;
  /** An order's status as the `my orders` list shows it. */
  orderStatus: (status: OrderStatus) => string;
  somethingWentWrong: string;
  languagePrompt: string;
  /** Said in the language just chosen. */
  languageChanged: string;
}

export const englishTexts: Texts = {
  notUnderstood: "Sorry, I didn't get that.",
  actionReceived: "Got it.",
  mediaNotRead: "Sorry, I can only read text and buttons here. Please type your answer or tap a button.",
  chooseOne: "Please pick one of the options (tap a button or send its number).",
  notOnMenu: (typed, example) => `Sorry, I didn't find “${typed}” on the menu. Pick a category below, or type what you'd like, e.g. “2 ${example}”.`,
  numberRange: (min, max) => `Please send a number from ${min} to ${max}.`,
  numberInvalid: "Please send a number.",
  textTooLong: (max) => `That's a bit long: please keep it under ${max} characters.`,
  phoneInvalid: "That doesn't look like a phone number. Please send it with its country code, e.g. +44 20 7946 0958.",
  phoneNotOwn: "That is someone else's contact. Please share your own number, or type it.",
  sharePhone: "Share my phone number",
  locationInvalid: "Please share your location, or type an address (3 to 200 characters).",
  shareLocation: "Share my location",
  yes: "Yes",
  no: "No",
  yesWords: ["yes", "y", "yeah", "yep", "sure", "ok", "okay", "oui", "si", "ja"],
  noWords: ["no", "n", "nope", "nah", "non", "nein"],
  categoriesPrompt: "What would you like? Pick a category, or just type what you want.",
  back: "Back",
  add: "Add",
  soldOut: "Sold out",
  soldOutProduct: (name) => `Sorry, ${name} is sold out today.`,
  orderedAlone: (name, currency) => `${name} is paid in ${currency}, so it goes in an order of its own. Place or empty your cart first, then pick it again.`,
  telegramStars: "Telegram Stars",
  cancelOrderButton: (order) => `Cancel #${order} for a refund`,
  confirmCancelOrder: (order, refund) => `Cancel order #${order}? ${refund} will be refunded.`,
  keepOrder: "Keep it",
  orderKept: (order) => `OK, order #${order} stays as it is.`,
  orderCancelledRefund: (order, refund) => `Order #${order} is cancelled. ${refund} is on its way back to you.`,
  orderFulfilment: (order, status) =>
    ({
      preparing: `We're preparing your order #${order}.`,
      ready: `Your order #${order} is ready at the counter.`,
      collected: `Order #${order} collected. Enjoy, and thank you!`,
      delivered: `Your order #${order} has been delivered. Thank you!`,
    })[status],
  orderCancelledByShop: (order, refund) => `Sorry, we had to cancel your order #${order}. ${refund} is on its way back to you.`,
  orderNotCancellable: (order) => `Order #${order} can no longer be cancelled.`,
  groupInvitation: (bot) => `Orders and bookings with ${bot} happen in a private chat, so your details stay between us. Tap below to start.`,
  openPrivateChat: (bot) => `Open ${bot}`,
  notShippedThere: "Sorry, we do not ship there. Please choose another address.",
  shippingLine: (option, price) => `Shipping, ${option} — ${price}`,
  onlyLeft: (left, name) => (left === 1 ? `Sorry, only 1 ${name} is left.` : `Sorry, only ${left} ${name} are left.`),
  optionPrompt: (group, product) => `Which ${group.toLowerCase()} for your ${product}?`,
  added: (summary, cartTotal) => `Added ${summary}. Cart total: ${cartTotal}.`,
  cartEmpty: "Your cart is empty.",
  cartHeader: "Your order:",
  cartTotal: (total) => `Total: ${total}`,
  placeOrder: "Place order",
  placeOrderWords: ["yes", "y", "confirm", "ok", "order", "checkout", "oui"],
  changeQuantity: "Change quantity",
  removeItem: "Remove item",
  addMore: "Add more",
  whichItem: "Which item?",
  newQuantity: (name) => `How many ${name} would you like?`,
  removed: (name) => `Removed ${name}.`,
  correctionRemoved: (name, cartTotal) => `Removed ${name}. Cart total: ${cartTotal}.`,
  correctionChanged: (summary, cartTotal) => `Changed to ${summary}. Cart total: ${cartTotal}.`,
  notInCart: (name) => `There is no ${name} in your cart, so nothing changed.`,
  invoiceTitle: (bot, order) => `${bot} order #${order}`,
  orderPlaced: (order, total, minutes) =>
    `Order #${order} is placed: ${total}. Please pay within ${minutes} minutes to confirm it.`,
  awaitingPayment: (order, total) => `Order #${order} is waiting for payment (${total}). Use the invoice to pay, or type cancel.`,
  paymentDeclined: (reason) => `Your payment was declined (${reason}). You can try again with the invoice.`,
  paymentMismatch: (order) => `That payment does not match order #${order}, so it was not accepted. Nothing was charged to the order.`,
  paymentTooLate: (order) => `Order #${order} was no longer open when your payment arrived; it will be refunded.`,
  receipt: (order, lines, total) => `Paid, thank you! Receipt for order #${order}:\n${lines}\nTotal paid: ${total}`,
  orderExpired: (order) => `Order #${order} expired unpaid, and its items were released. Type menu to order again.`,
  orderNotPayable: (order) => `Order #${order} can no longer be paid: it has expired or was closed. Nothing was charged. Type menu to order again.`,
  invoiceNotValid: "This invoice is no longer valid, so nothing was charged. Type menu to order again.",
  help: "You can type: menu (see the menu), cancel (start over), my orders (your orders), language (change language), help (this message).",
  noHumanYet:
    "Nobody from the shop reads this chat yet: I'm an automated assistant, so a person won't see your message here. I can help with: menu (see the menu and order), my orders, my bookings, cancel, help.",
  cancelled: "Cancelled: nothing was ordered. Send any message to start again.",
  cancelledOrder: (order) => `Order #${order} is cancelled and nothing was charged. Send any message to start again.`,
  noOrders: "You have no orders yet.",
  ordersHeader: "Your orders:",
  orderStatus: (status) => status.replace("_", " "),
  somethingWentWrong: "Sorry, something went wrong on our side. Nothing was changed; please try again.",
  languagePrompt: "Which language would you like?",
  languageChanged: "OK, I'll speak English.",
  ...englishBookingTexts,
};

/** The languages Kiosk speaks out of the box; a bot declaring another locale brings its own texts. */
export const BUILT_IN_TEXTS: Readonly<Record<string, Texts>> = { en: englishTexts, fr: frenchTexts, "zh-CN": chineseTexts };

/** Per locale, the built-in texts a bot replaces: `{ fr: { cartHeader: "Votre panier :" } }`. */
export type TextOverrides = Readonly<Record<string, Partial<Texts>>>;

/**
 * The texts for `locale`: the built-in set for it (exact, then its language,
 * then `fallback`, then English), with the bot's overrides for the same
 * locale on top.
 */
export function textsFor(locale: string, fallback: string, overrides: TextOverrides = {}): Texts {
  const builtIns = Object.keys(BUILT_IN_TEXTS);
  const owns = Object.keys(overrides);
  // The language spoken is settled first, so English overrides never land on French texts.
  const spoken = resolveLocale([...builtIns, ...owns], locale, fallback) ?? "en";
  const builtIn = resolveLocale(builtIns, spoken, "en");
  const own = resolveLocale(owns, spoken, spoken);
  return { ...englishTexts, ...(builtIn === undefined ? {} : BUILT_IN_TEXTS[builtIn]), ...(own === undefined ? {} : overrides[own]) };
}
