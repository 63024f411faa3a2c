// The chat columns: each customer's messages as the chosen channel shows
// them, with reset, export and a composer; one column in tabs, up to three
// side by side.

import { bubbleNode } from "./bubbles.js";
import { CHANNELS, renderForChannel } from "./channels.js";
import { $, el, showError } from "./dom.js";
import { activeCustomer, MAX_COLUMNS, page, sideBySide, visibleCustomers, WIDE } from "./state.js";
import { exportTranscript } from "./transcript.js";

/**
 * @typedef {import("./state.js").Customer} Customer
 * @typedef {import("./state.js").Column} Column
 * @typedef {object} ChatControls what a column's controls do
 * @property {(customer: Customer, action: import("./state.js").Action, shown: string) => Promise<void>} act sends what the customer did
 * @property {(customer: Customer) => Promise<void>} follow makes the inspector and the diagram follow the customer
 * @property {(customer: Customer) => Promise<void>} reset resets the customer's conversation
 */

/** @type {ChatControls|undefined} */
let connected;

/**
 * Connects the columns' controls to what they do. Those live above the chat
 * (they re-draw it), so app.js hands them over at start rather than this
 * module importing them. @param {ChatControls} given
 */
export function connectChat(given) {
  connected = given;
}

function controls() {
  if (!connected) throw new Error("the chat's controls are not connected: app.js calls connectChat() at start");
  return connected;
}

/**
 * A customer's chat column (title, reset, export, messages, composer), made
 * once and kept, so that re-drawing the messages leaves what is typed alone.
 * @param {Customer} customer
 * @returns {Column}
 */
function columnOf(customer) {
  if (customer.view) return customer.view;
  const title = el("strong", { class: "chat-title", attrs: { "data-testid": "chat-title" } });
  const reset = el("button", { text: "Reset conversation", attrs: { type: "button", "data-testid": "reset" } });
  const exporter = el("button", { text: "Export transcript", attrs: { type: "button", "data-testid": "export" } });
  const chat = el("ol", { class: "chat", attrs: { "data-testid": "chat", "aria-live": "polite" } });
  const input = /** @type {HTMLInputElement} */ (
    el("input", { attrs: { "data-testid": "text", placeholder: "Type a message…", autocomplete: "off", maxlength: "4096", "aria-label": `Message from ${customer.id}` } })
  );
  const composer = el("form", { class: "composer" }, [input, el("button", { text: "Send", attrs: { type: "submit" } })]);
  const root = el("section", { class: "chat-column", attrs: { "aria-label": `Chat of ${customer.id}`, "data-testid": "column", "data-column": customer.id } }, [
    el("div", { class: "chat-tools" }, [title, el("span", { class: "badge", text: "in the inspector", attrs: { "data-testid": "inspected" } }), el("span", { class: "spacer" }), reset, exporter]),
    chat,
    composer,
  ]);
  // Using a column (typing, clicking a button) makes the inspector and the diagram follow its customer.
  root.addEventListener("focusin", () => void controls().follow(customer).catch(showError));
  reset.addEventListener("click", () => void controls().reset(customer));
  exporter.addEventListener("click", () => void exportTranscript(customer));
  composer.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim()) return;
    input.value = "";
    void controls().act(customer, { text }, text);
  });
  customer.view = { root, title, chat, input };
  return customer.view;
}

/** Re-draws one customer's messages (if their column is on screen). @param {Customer|undefined} customer */
export function renderChat(customer) {
  if (!customer?.view) return;
  const { chat, title, root } = customer.view;
  root.classList.toggle("active", customer.id === page.active);
  title.textContent = `${page.bots.find((b) => b.id === customer.bot)?.name ?? customer.bot} · ${customer.id} · ${customer.locale}`;
  chat.replaceChildren();
  /** @type {import("./bubbles.js").Send} */
  const send = (action, shown) => void controls().act(customer, action, shown);
  for (const item of customer.items) {
    if (item.kind === "user") {
      chat.append(el("li", { class: "from-user" }, [el("div", { class: "bubble user", text: item.text })]));
    } else if (item.kind === "note") {
      chat.append(el("li", { class: "note", text: item.text }));
    } else {
      const rendered = renderForChannel(item.message, page.channel, { locale: customer.locale });
      const li = el("li", { class: "from-bot", attrs: { "data-seq": String(item.seq) } }, rendered.bubbles.map((b) => bubbleNode(b, customer, send)));
      if (item.message.at) li.title = `sent ${item.message.at}`;
      for (const f of rendered.fallbacks) li.append(el("div", { class: "fallback", text: `${CHANNELS[page.channel]?.name}: ${f}`, attrs: { "data-testid": "fallback" } }));
      chat.append(li);
    }
  }
  chat.scrollTop = chat.scrollHeight;
}

/** Puts the visible customers' columns on the page: one in tabs, up to three side by side. */
export function renderColumns() {
  const visible = visibleCustomers();
  const side = sideBySide();
  $("layout").classList.toggle("side-by-side", side);
  const chats = $("chats");
  chats.className = `chats n${Math.max(visible.length, 1)}`;
  const roots = visible.map((c) => columnOf(c).root);
  // Columns already in place stay as they are (what is typed, the focus, a button being clicked); the rest come and go.
  const placed = new Set(chats.children);
  for (const child of [...chats.children]) if (!roots.includes(/** @type {HTMLElement} */ (child))) child.remove();
  roots.forEach((root, i) => {
    if (chats.children[i] !== root) chats.insertBefore(root, chats.children[i] ?? null);
  });
  for (const c of visible) {
    if (!placed.has(columnOf(c).root)) renderChat(c);
    else columnOf(c).root.classList.toggle("active", c.id === page.active);
  }
  const toggle = /** @type {HTMLInputElement} */ ($("side-by-side"));
  toggle.checked = page.sideBySide;
  $("layout-hint").textContent = page.sideBySide && !WIDE.matches ? "(side by side needs a wider window: tabs for now)" : side ? `(up to ${MAX_COLUMNS}; the inspector follows the last one used)` : "";
  const who = activeCustomer();
  $("inspector-customer").textContent = who ? `· ${who.id}` : "";
  $("diagram-customer").textContent = who ? `· ${who.id}` : "";
}

