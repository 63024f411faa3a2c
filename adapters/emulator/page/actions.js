// What a customer does in their column: send a message, press a button, pay,
// share; and resetting their conversation.

import { api } from "./api.js";
import { renderChat } from "./chat.js";
import { addMessages, refreshCustomer } from "./conversation.js";
import { $, showError } from "./dom.js";
import { customerPath, page } from "./state.js";
import { follow, selectCustomer } from "./tabs.js";

/** @typedef {import("./state.js").Customer} Customer */

/**
 * Sends what the customer did; the replies come back in the answer (and by polling).
 * @param {Customer} customer
 * @param {import("./state.js").Action} action
 * @param {string} shown what the chat shows the customer did
 */
export async function act(customer, action, shown) {
  if (customer.busy) return;
  customer.busy = true;
  showError(undefined);
  try {
    if (customer.id !== page.active) await follow(customer);
    customer.items.push({ kind: "user", text: shown });
    renderChat(customer);
    const body = customer.started ? action : { ...action, locale: customer.locale };
    const res = await api("POST", `${customerPath(customer)}/events`, body);
    customer.started = true;
    addMessages(customer, res.body.messages ?? []);
    if (res.status === 202) customer.items.push({ kind: "note", text: "Slow payment: the provider answers in a moment…" });
    await refreshCustomer(customer);
  } catch (error) {
    showError(error);
    renderChat(customer);
  } finally {
    customer.busy = false;
  }
}

/**
 * Starts the customer's conversation afresh (orders and bookings stay), in the locale menu's locale.
 * @param {Customer} customer
 */
export async function resetCustomer(customer) {
  showError(undefined);
  try {
    if (customer.started) await api("DELETE", customerPath(customer));
    customer.items = [{ kind: "note", text: "Conversation reset (orders and bookings stay). The next message starts afresh." }];
    customer.started = false;
    customer.locale = /** @type {HTMLSelectElement} */ ($("locale")).value || customer.locale;
    customer.state = undefined;
    await selectCustomer(customer.id);
    renderChat(customer);
  } catch (error) {
    showError(error);
  }
}
