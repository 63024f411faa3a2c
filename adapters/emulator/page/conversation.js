// A customer's conversation kept up to date: new bot messages (replies,
// timers, slow payments) added to their chat, their state fetched, the
// inspector and the diagram re-drawn when they follow them.

import { api, ApiError } from "./api.js";
import { renderChat } from "./chat.js";
import { refreshDiagram } from "./diagram-view.js";
import { refreshState } from "./inspector.js";
import { customerPath, page } from "./state.js";

/** @typedef {import("./state.js").Customer} Customer */

/** Adds the messages the chat does not have yet; how many were new. @param {Customer} customer @param {any[]} messages */
export function addMessages(customer, messages) {
  let added = 0;
  for (const m of messages) {
    if (typeof m.seq !== "number" || m.seq <= customer.last) continue;
    customer.items.push({ kind: "bot", seq: m.seq, message: m });
    customer.last = m.seq;
    added++;
  }
  return added;
}

/** New messages (timers, slow payments) and the state of one customer; the inspector and the diagram if it is the one they follow. */
export async function refreshCustomer(/** @type {Customer} */ customer) {
  await pollMessages(customer);
  if (customer.started) {
    await Promise.all([refreshState(customer), customer.id === page.active ? refreshDiagram(customer) : undefined]);
  }
  renderChat(customer);
}

/** Fetches the customer's new messages (none before their first message); how many were new. @param {Customer} customer */
export async function pollMessages(customer) {
  if (!customer.started) return 0;
  try {
    const res = await api("GET", `${customerPath(customer)}/messages?after=${customer.last}`);
    return addMessages(customer, res.body.messages ?? []);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return 0;
    throw error;
  }
}
