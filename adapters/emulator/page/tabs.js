// The customer tabs and the bot menu: adding customers, choosing the one shown
// (and followed by the inspector and the diagram), switching bots.

import { renderColumns } from "./chat.js";
import { refreshCustomer } from "./conversation.js";
import { refreshDiagram } from "./diagram-view.js";
import { $, el } from "./dom.js";
import { botInfo, bringForward, customersOf, page, visibleCustomers } from "./state.js";

/** @typedef {import("./state.js").Customer} Customer */

/** New customers' names, in turn. */
const NAMES = ["alice", "bob", "carol", "dave", "eve", "frank", "grace", "heidi"];

/** One tab per customer of the bot: the active one marked, those on screen too. */
export function renderTabs() {
  const tabs = $("tabs");
  const shown = new Set(visibleCustomers().map((c) => c.id));
  tabs.replaceChildren(
    ...customersOf().map((c) => {
      const tab = el("button", {
        class: `tab${c.id === page.active ? " active" : ""}${shown.has(c.id) ? " shown" : ""}`,
        text: c.id,
        attrs: { type: "button", role: "tab", "aria-selected": String(c.id === page.active), "data-customer": c.id },
      });
      tab.addEventListener("click", () => void selectCustomer(c.id));
      return tab;
    }),
  );
}

/** Adds a customer (the next free name, the locale menu's locale) and shows them. */
export function newCustomer() {
  const list = customersOf();
  const taken = new Set(list.map((c) => c.id));
  const id = NAMES.find((n) => !taken.has(n)) ?? `customer-${list.length + 1}`;
  const locale = /** @type {HTMLSelectElement} */ ($("locale")).value || botInfo()?.locale || "en";
  list.push({ id, bot: page.bot, items: [], last: 0, locale, started: false, state: undefined, busy: false });
  return selectCustomer(id);
}

/** Shows a customer (its tab, or its column side by side) and makes the inspector and the diagram follow it. @param {string} id */
export async function selectCustomer(id) {
  bringForward(id);
  page.active = "";
  const customer = customersOf().find((c) => c.id === id);
  if (customer) await follow(customer);
}

/** The inspector, the diagram and the locale menu follow this customer (the one used last). @param {Customer} customer */
export async function follow(customer) {
  if (customer.id === page.active && customer.bot === page.bot) return;
  page.active = customer.id;
  bringForward(customer.id);
  /** @type {HTMLSelectElement} */ ($("locale")).value = customer.locale;
  renderTabs();
  renderColumns();
  if (customer.started) await refreshCustomer(customer);
  else {
    $("inspector").replaceChildren(el("p", { class: "muted", text: "No conversation yet: send a message." }));
    await refreshDiagram(undefined);
  }
}

/** Switches to a bot: its locales in the menu, its customers (a first one if it has none). @param {string} id */
export async function selectBot(id) {
  page.bot = id;
  page.active = "";
  const bot = botInfo();
  const locale = /** @type {HTMLSelectElement} */ ($("locale"));
  locale.replaceChildren(...(bot?.locales ?? []).map((l) => el("option", { text: l, attrs: { value: l } })));
  locale.value = bot?.locale ?? "";
  if (customersOf().length === 0) await newCustomer();
  else await selectCustomer((page.shown.get(id) ?? [])[0] ?? customersOf()[0]?.id ?? "");
}
