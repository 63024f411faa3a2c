/* global document, window, URL, setTimeout, clearTimeout */
// The emulator page: chat with any bot of this server as several customers,
// see each message as a channel would show it, inspect the conversation, move
// the clock, reset, export a transcript, and follow the flow diagram.
// This file starts the page: it fills the menus, connects the controls and
// polls; each concern lives in its own module beside it (api, state, chat,
// bubbles, conversation, actions, tabs, inspector, diagram-view, clock,
// transcript, time, dom).

import { act, resetCustomer } from "./actions.js";
import { api, API } from "./api.js";
import { CHANNELS, CHANNEL_IDS } from "./channels.js";
import { connectChat, renderChat, renderColumns } from "./chat.js";
import { advance, refreshClock } from "./clock.js";
import { pollMessages, refreshCustomer } from "./conversation.js";
import { $, el, showError } from "./dom.js";
import { activeCustomer, customersOf, page, visibleCustomers, WIDE } from "./state.js";
import { follow, newCustomer, renderTabs, selectBot } from "./tabs.js";

const POLL_MS = 1000;

/** Every second: new messages (timers, slow payments) for every customer, re-drawing those on screen, and the clock. */
async function poll() {
  try {
    const visible = new Set(visibleCustomers().map((c) => c.id));
    for (const c of customersOf()) {
      const added = await pollMessages(c);
      if (added > 0 && visible.has(c.id)) await refreshCustomer(c);
    }
    await refreshClock();
  } catch (error) {
    showError(error);
  } finally {
    page.pollTimer = setTimeout(() => void poll(), POLL_MS);
  }
}

async function main() {
  connectChat({ act, follow, reset: resetCustomer });
  const channel = /** @type {HTMLSelectElement} */ ($("channel"));
  channel.replaceChildren(...CHANNEL_IDS.map((id) => el("option", { text: CHANNELS[id]?.name ?? id, attrs: { value: id } })));
  channel.addEventListener("change", () => {
    page.channel = channel.value;
    for (const c of visibleCustomers()) renderChat(c);
  });
  const bots = /** @type {HTMLSelectElement} */ ($("bot"));
  page.bots = (await api("GET", `${API}/bots`)).body;
  bots.replaceChildren(...page.bots.map((b) => el("option", { text: `${b.name} (${b.id})`, attrs: { value: b.id } })));
  bots.addEventListener("change", () => void selectBot(bots.value).catch(showError));
  $("locale").addEventListener("change", () => {
    const customer = activeCustomer();
    const value = /** @type {HTMLSelectElement} */ ($("locale")).value;
    if (customer && !customer.started) {
      customer.locale = value;
      renderChat(customer);
    } else if (customer && customer.locale !== value) {
      showError(`${customer.id} already chats in ${customer.locale}; the locale is sent with the first message. Reset the conversation or add a new customer to use ${value}.`);
    }
  });
  $("new-customer").addEventListener("click", () => void newCustomer().catch(showError));
  const toggle = /** @type {HTMLInputElement} */ ($("side-by-side"));
  toggle.addEventListener("change", () => {
    page.sideBySide = toggle.checked;
    renderTabs();
    renderColumns();
  });
  WIDE.addEventListener("change", () => {
    renderTabs();
    renderColumns();
  });
  for (const b of document.querySelectorAll("[data-advance]")) {
    b.addEventListener("click", () => void advance(b.getAttribute("data-advance") ?? ""));
  }
  $("clock-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = /** @type {HTMLInputElement} */ ($("clock-custom"));
    if (input.value.trim()) void advance(input.value.trim());
  });
  const params = new URL(window.location.href).searchParams;
  if (params.get("layout") === "side-by-side") page.sideBySide = true;
  const wanted = params.get("bot");
  const first = page.bots.find((b) => b.id === wanted) ?? page.bots[0];
  if (first) {
    bots.value = first.id;
    await selectBot(first.id);
  }
  await refreshClock();
  if (page.pollTimer !== undefined) clearTimeout(page.pollTimer);
  page.pollTimer = setTimeout(() => void poll(), POLL_MS);
  document.body.dataset.ready = "true";
}

main().catch(showError);
