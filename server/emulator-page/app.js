/* global document, window, fetch, URL, Blob, setTimeout, clearTimeout, console, prompt, sessionStorage */
// The emulator page: chat with any bot of this server as several customers,
// see each message as a channel would show it, inspect the conversation, move
// the clock, reset, export a transcript, and follow the flow diagram.
// Every text from a bot or a customer goes through textContent, never HTML.

import { CHANNELS, CHANNEL_IDS, formatMoney, renderForChannel } from "./channels.js";
import { layoutGraph, parseMermaid } from "./diagram.js";

const API = "/api/emulator";
const POLL_MS = 1000;
const NAMES = ["alice", "bob", "carol", "dave", "eve", "frank", "grace", "heidi"];

/** @param {string} id */
const $ = (id) => {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found;
};

/**
 * Makes an element; `text` is set with textContent.
 * @param {string} tag
 * @param {{class?: string, text?: string, title?: string, attrs?: Record<string,string>}} [props]
 * @param {Array<Node|null|undefined|false>} [children]
 */
function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  if (props.text !== undefined) node.textContent = props.text;
  if (props.title) node.title = props.title;
  for (const [k, v] of Object.entries(props.attrs ?? {})) node.setAttribute(k, v);
  for (const child of children) if (child) node.append(child);
  return node;
}

const SVG = "http://www.w3.org/2000/svg";
/** @param {string} tag @param {Record<string, string|number>} attrs */
function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

class ApiError extends Error {
  /** @param {number} status @param {string} code @param {string} message */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Where the emulator's token is kept: this tab's session only, never on disk beyond it. */
const TOKEN_KEY = "kiosk-emulator-token";
/** @type {Promise<string|null>|undefined} one question at a time, however many calls were refused */
let asking;

/** Asks for the token once (calls refused meanwhile wait for the same answer); null when the person cancels. */
function askToken() {
  asking ??= Promise.resolve().then(() => {
    const answer = prompt("This emulator runs beside real channels and needs its token (KIOSK_EMULATOR_TOKEN). It is kept for this browser session only.");
    const token = answer === null ? "" : answer.trim();
    if (token !== "") sessionStorage.setItem(TOKEN_KEY, token);
    asking = undefined;
    return token === "" ? null : token;
  });
  return asking;
}

/** @param {string} method @param {string} path @param {unknown} [body] @param {boolean} [retried] */
async function api(method, path, body, retried = false) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const response = await fetch(path, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status === 401 && !retried) {
    // Another call got the token meanwhile: use it. Else a wrong or missing token: forget it, ask once, and try again.
    const current = sessionStorage.getItem(TOKEN_KEY);
    if (current !== null && current !== token) return api(method, path, body, true);
    sessionStorage.removeItem(TOKEN_KEY);
    if ((await askToken()) !== null) return api(method, path, body, true);
  }
  const text = await response.text();
  let parsed;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  if (!response.ok) {
    const error = parsed && typeof parsed === "object" && "error" in parsed ? parsed.error : { code: "http", message: `${response.status} ${response.statusText}` };
    throw new ApiError(response.status, error.code, error.message);
  }
  return { status: response.status, body: parsed, text };
}

// ---- state -------------------------------------------------------------

/**
 * @typedef {{ kind: "user", text: string } | { kind: "bot", seq: number, message: any } | { kind: "note", text: string }} Item
 * @typedef {{ root: HTMLElement, title: HTMLElement, chat: HTMLElement, input: HTMLInputElement }} Column
 * @typedef {{ id: string, bot: string, items: Item[], last: number, locale: string, started: boolean, state: any, busy: boolean, view?: Column }} Customer
 */

/** How many customers side by side show at once. */
const MAX_COLUMNS = 3;
/** Side by side needs room for its columns and the inspector; narrower windows keep tabs. */
const WIDE = window.matchMedia("(min-width: 1000px)");

const page = {
  /** @type {Array<{id:string,name:string,locale:string,locales:string[],flows:string[],timeZone?:string}>} */
  bots: [],
  bot: "",
  channel: "emulator",
  /** @type {Map<string, Customer[]>} per bot */
  customers: new Map(),
  /** The customer the inspector and the diagram follow: the selected tab, or the column used last. */
  active: "",
  /** Side by side asked for (it takes effect in a wide window). */
  sideBySide: false,
  /** @type {Map<string, string[]>} per bot: the customers shown side by side, most recently used first */
  shown: new Map(),
  /** @type {ReturnType<typeof setTimeout>|undefined} */
  pollTimer: undefined,
};

const customersOf = () => {
  let list = page.customers.get(page.bot);
  if (!list) page.customers.set(page.bot, (list = []));
  return list;
};
const activeCustomer = () => customersOf().find((c) => c.id === page.active);
const customerPath = (/** @type {Customer} */ c) => `${API}/bots/${encodeURIComponent(c.bot)}/customers/${encodeURIComponent(c.id)}`;
const botInfo = () => page.bots.find((b) => b.id === page.bot);
const sideBySide = () => page.sideBySide && WIDE.matches;

/** The customers whose chats are on screen, in tab order: the active one in tabs, up to three side by side. */
function visibleCustomers() {
  if (!sideBySide()) return customersOf().filter((c) => c.id === page.active);
  const shown = new Set((page.shown.get(page.bot) ?? []).slice(0, MAX_COLUMNS));
  return customersOf().filter((c) => shown.has(c.id));
}

/** Puts a customer first among those shown side by side (the oldest drops out beyond three). */
function bringForward(/** @type {string} */ id) {
  const list = (page.shown.get(page.bot) ?? []).filter((x) => x !== id);
  list.unshift(id);
  page.shown.set(page.bot, list.slice(0, MAX_COLUMNS));
}

/** @param {unknown} error */
function showError(error) {
  const box = $("error");
  if (!error) {
    box.hidden = true;
    box.textContent = "";
    return;
  }
  box.hidden = false;
  box.textContent = error instanceof Error ? error.message : String(error);
  console.warn(error);
}

// ---- chat ------------------------------------------------------------

/** @param {Customer} customer @param {any[]} messages */
function addMessages(customer, messages) {
  let added = 0;
  for (const m of messages) {
    if (typeof m.seq !== "number" || m.seq <= customer.last) continue;
    customer.items.push({ kind: "bot", seq: m.seq, message: m });
    customer.last = m.seq;
    added++;
  }
  return added;
}

/** @param {{ buttons?: readonly {label:string,payload:string}[], buttonStyle?: string }} bubble @param {Customer} customer */
function buttonRow(bubble, customer) {
  const buttons = bubble.buttons ?? [];
  if (buttons.length === 0) return null;
  return el(
    "div",
    { class: `buttons ${bubble.buttonStyle ?? "inline"}` },
    buttons.map((b) => {
      const button = el("button", { text: b.label, title: b.payload, attrs: { type: "button", "data-payload": b.payload } });
      button.addEventListener("click", () => void act(customer, { press: b.payload }, b.label));
      return button;
    }),
  );
}

/** @param {{title:string,subtitle?:string,price?:{amount:number,currency:string},buttons?:readonly {label:string,payload:string}[]}} card @param {Customer} customer */
function cardNode(card, customer) {
  return el("div", { class: "card", attrs: { "data-testid": "card" } }, [
    el("div", { class: "card-title", text: card.title }),
    card.subtitle ? el("div", { class: "card-subtitle", text: card.subtitle }) : null,
    card.price ? el("div", { class: "price", text: formatMoney(card.price, customer.locale) }) : null,
    buttonRow({ buttons: card.buttons ?? [], buttonStyle: "in-card" }, customer),
  ]);
}

/** @param {any} bubble @param {Customer} customer */
function bubbleNode(bubble, customer) {
  switch (bubble.kind) {
    case "text":
      return el("div", { class: `bubble bot${bubble.text === "" ? " bare" : ""}` }, [bubble.text === "" ? null : el("div", { class: "text", text: bubble.text }), buttonRow(bubble, customer)]);
    case "carousel":
      return el("div", { class: "carousel", attrs: { "data-testid": "carousel" } }, bubble.cards.map((/** @type {any} */ c) => cardNode(c, customer)));
    case "list": {
      const rows = el(
        "ol",
        { class: "list-rows" },
        bubble.rows.map((/** @type {any} */ r) => {
          const row = el("li", {}, [
            el("button", { class: "row", text: r.label, title: r.payload, attrs: { type: "button", "data-payload": r.payload } }),
            r.description ? el("span", { class: "row-description", text: r.description }) : null,
          ]);
          row.querySelector("button")?.addEventListener("click", () => void act(customer, { press: r.payload }, r.label));
          return row;
        }),
      );
      return el("div", { class: "bubble bot list", attrs: { "data-testid": "list" } }, [
        bubble.title ? el("div", { class: "text", text: bubble.title }) : null,
        el("details", { attrs: { open: "" } }, [el("summary", { text: "Choose" }), rows]),
      ]);
    }
    case "invoice": {
      const order = (customer.state?.orders ?? []).find((/** @type {any} */ o) => o.id === bubble.invoice.order);
      const status = order?.status;
      const pay = (/** @type {"succeed"|"decline"|"slow"} */ outcome, /** @type {string} */ label) => {
        const b = el("button", { text: label, attrs: { type: "button", "data-pay": outcome } });
        b.addEventListener("click", () => void act(customer, { pay: outcome }, `[test payment: ${outcome}]`));
        if (status !== undefined && status !== "awaiting_payment") b.setAttribute("disabled", "");
        return b;
      };
      return el("div", { class: `bubble bot invoice${bubble.native ? " native" : " link"}`, attrs: { "data-testid": "invoice" } }, [
        el("div", { class: "invoice-kind", text: bubble.native ? "Invoice" : "Payment link" }),
        el("div", { class: "card-title", text: bubble.invoice.title }),
        el("div", { class: "price", text: bubble.amount }),
        el("div", { class: "muted", text: `Order #${bubble.invoice.order}${status ? ` · ${status.replace(/_/g, " ")}` : ""}` }),
        el("div", { class: "buttons pay" }, [pay("succeed", "Pay"), pay("decline", "Decline"), pay("slow", "Slow")]),
      ]);
    }
    case "share": {
      // What Telegram's share button would send: the customer's own number, or a location; asked here, with an example.
      const contact = bubble.share.kind === "contact";
      const b = el("button", { text: bubble.share.label, attrs: { type: "button", "data-share": bubble.share.kind } });
      b.addEventListener("click", () => {
        const answer = prompt(contact ? "The customer's own phone number, as their phone would share it:" : "The location to share, as latitude, longitude:", contact ? "+33 6 12 34 56 78" : "48.8566, 2.3522");
        if (answer === null || answer.trim() === "") return;
        if (contact) {
          void act(customer, { contact: answer.trim() }, `[shared contact: ${answer.trim()}]`);
          return;
        }
        const [latitude, longitude] = answer.split(",").map((x) => Number(x.trim()));
        if (latitude === undefined || longitude === undefined || !Number.isFinite(latitude) || !Number.isFinite(longitude)) {
          showError(new Error("write the location as latitude, longitude, e.g. 48.8566, 2.3522"));
          return;
        }
        void act(customer, { location: { latitude, longitude } }, `[shared location: ${latitude}, ${longitude}]`);
      });
      return el("div", { class: "bubble bot share bare", attrs: { "data-testid": "share" } }, [el("div", { class: "buttons share" }, [b])]);
    }
    default:
      return el("div", { class: "bubble bot", text: JSON.stringify(bubble) });
  }
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
  root.addEventListener("focusin", () => void follow(customer).catch(showError));
  reset.addEventListener("click", () => void resetCustomer(customer));
  exporter.addEventListener("click", () => void exportTranscript(customer));
  composer.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim()) return;
    input.value = "";
    void act(customer, { text }, text);
  });
  customer.view = { root, title, chat, input };
  return customer.view;
}

/** Re-draws one customer's messages (if their column is on screen). @param {Customer|undefined} customer */
function renderChat(customer) {
  if (!customer?.view) return;
  const { chat, title, root } = customer.view;
  root.classList.toggle("active", customer.id === page.active);
  title.textContent = `${page.bots.find((b) => b.id === customer.bot)?.name ?? customer.bot} · ${customer.id} · ${customer.locale}`;
  chat.replaceChildren();
  for (const item of customer.items) {
    if (item.kind === "user") {
      chat.append(el("li", { class: "from-user" }, [el("div", { class: "bubble user", text: item.text })]));
    } else if (item.kind === "note") {
      chat.append(el("li", { class: "note", text: item.text }));
    } else {
      const rendered = renderForChannel(item.message, page.channel, { locale: customer.locale });
      const li = el("li", { class: "from-bot", attrs: { "data-seq": String(item.seq) } }, rendered.bubbles.map((b) => bubbleNode(b, customer)));
      if (item.message.at) li.title = `sent ${item.message.at}`;
      for (const f of rendered.fallbacks) li.append(el("div", { class: "fallback", text: `${CHANNELS[page.channel]?.name}: ${f}`, attrs: { "data-testid": "fallback" } }));
      chat.append(li);
    }
  }
  chat.scrollTop = chat.scrollHeight;
}

/** Puts the visible customers' columns on the page: one in tabs, up to three side by side. */
function renderColumns() {
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

/**
 * Sends what the customer did; the replies come back in the answer (and by polling).
 * @param {Customer} customer
 * @param {{text:string}|{press:string}|{pay:"succeed"|"decline"|"slow"}|{contact:string}|{location:{latitude:number,longitude:number}}} action
 * @param {string} shown what the chat shows the customer did
 */
async function act(customer, action, shown) {
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

/** New messages (timers, slow payments) and the state of one customer; the inspector and the diagram if it is the one they follow. */
async function refreshCustomer(/** @type {Customer} */ customer) {
  await pollMessages(customer);
  if (customer.started) {
    await Promise.all([refreshState(customer), customer.id === page.active ? refreshDiagram(customer) : undefined]);
  }
  renderChat(customer);
}

/** @param {Customer} customer */
async function pollMessages(customer) {
  if (!customer.started) return 0;
  try {
    const res = await api("GET", `${customerPath(customer)}/messages?after=${customer.last}`);
    return addMessages(customer, res.body.messages ?? []);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return 0;
    throw error;
  }
}

// ---- inspector ----------------------------------------------------------

/** An ISO instant, short, in UTC (the clock, which no customer owns). @param {string} iso */
const when = (iso) => (iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z") : "");

/** The bot's time zone (from `GET /api/emulator/bots`), UTC if it names none. */
const timeZoneOf = (/** @type {string} */ bot) => page.bots.find((b) => b.id === bot)?.timeZone ?? "UTC";

/**
 * A formatter for the customer's locale in the bot's time zone; the default
 * locale if the browser does not know theirs.
 * @param {Customer} customer @param {Intl.DateTimeFormatOptions} options
 */
function formatterFor(customer, options) {
  const timeZone = timeZoneOf(customer.bot);
  try {
    return new Intl.DateTimeFormat(customer.locale, { timeZone, ...options });
  } catch {
    return new Intl.DateTimeFormat(undefined, { timeZone, ...options });
  }
}

const DAY_AND_TIME = /** @type {Intl.DateTimeFormatOptions} */ ({ weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
const STAMP = /** @type {Intl.DateTimeFormatOptions} */ ({ day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", second: "2-digit" });

/**
 * An instant as the customer reads it (their locale, the bot's zone), the ISO
 * instant on hover. @param {Customer} customer @param {string} iso
 */
function localTime(customer, iso) {
  const date = new Date(iso);
  if (!iso || Number.isNaN(date.getTime())) return el("span", { text: iso ?? "" });
  return el("time", { text: formatterFor(customer, STAMP).format(date), title: `${iso} (${timeZoneOf(customer.bot)})`, attrs: { datetime: iso } });
}

/** A booking's start – end, e.g. "Thu 3 Dec, 09:00 – 09:30", the ISO instants on hover. @param {Customer} customer @param {string} start @param {string} end */
function localRange(customer, start, end) {
  const a = new Date(start);
  const b = new Date(end);
  if (Number.isNaN(a.getTime()) || Number.isNaN(b.getTime())) return el("span", { text: `${start} – ${end}` });
  const format = formatterFor(customer, DAY_AND_TIME);
  const text = typeof format.formatRange === "function" ? format.formatRange(a, b) : `${format.format(a)} – ${format.format(b)}`;
  return el("time", { class: "when", text, title: `${start} – ${end} (${timeZoneOf(customer.bot)})`, attrs: { datetime: start, "data-testid": "booking-time" } });
}

/** @param {Customer} customer @param {Array<{from:string,to:string,cause:string,at:string}>} history */
function historyNode(customer, history) {
  return el(
    "ol",
    { class: "history", attrs: { "data-testid": "history" } },
    history.map((h) =>
      el("li", {}, [el("span", { class: "transition", text: `${h.from} → ${h.to}` }), el("span", { class: "muted" }, [document.createTextNode(` ${h.cause} · `), localTime(customer, h.at)])]),
    ),
  );
}

/** @param {string} title @param {Node[]} children */
const section = (title, children) => el("section", { class: "panel" }, [el("h3", { text: title }), ...children]);

/** Fetches a customer's state (the invoices' buttons need it); draws the inspector if it follows them. @param {Customer} customer */
async function refreshState(customer) {
  let state;
  try {
    state = (await api("GET", `${customerPath(customer)}/state`)).body;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      customer.state = undefined;
      if (customer.id === page.active) $("inspector").replaceChildren(el("p", { class: "muted", text: "No conversation yet: send a message." }));
      return;
    }
    throw error;
  }
  customer.state = state;
  // Another customer may have been used while this answer was on its way.
  if (customer.id === page.active && customer.bot === page.bot) renderInspector(customer, state);
}

/** @param {Customer} customer @param {any} state */
function renderInspector(customer, state) {
  const loc = customer.locale;
  const money = (/** @type {number} */ amount, /** @type {string} */ currency) => formatMoney({ amount, currency }, loc);
  const facts = [
    ["Customer", customer.id],
    ["Flow", state.flow ?? "—"],
    ["Step", state.step ?? "(ended)"],
    ["Flow version", state.flowVersion ?? "—"],
    ["Locale", state.locale ?? "—"],
    ["Time zone", timeZoneOf(customer.bot)],
    ["Version", String(state.version)],
  ];
  if (state.phase) facts.push(["Phase", typeof state.phase === "object" ? JSON.stringify(state.phase) : String(state.phase)]);
  const dl = el("dl", { class: "facts" }, facts.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v, attrs: { "data-fact": k.toLowerCase().replace(/ /g, "-") } })]));
  const cart = state.cart.length
    ? el("ul", {}, state.cart.map((/** @type {any} */ l) => el("li", { text: `${l.quantity} × ${l.name ?? l.productId}${l.optionLabels?.length ? ` (${l.optionLabels.join(", ")})` : ""}${typeof l.unitPrice === "number" && l.currency ? ` — ${money(l.unitPrice * l.quantity, l.currency)}` : ""}` })))
    : el("p", { class: "muted", text: "empty" });
  const orders = state.orders.length
    ? state.orders.map((/** @type {any} */ o) =>
        el("div", { class: "record", attrs: { "data-testid": "order", "data-status": o.status } }, [
          el("div", { class: "record-head" }, [el("strong", { text: `Order #${o.id}` }), el("span", { class: `status ${o.status}`, text: o.status.replace(/_/g, " ") }), el("span", { text: money(o.total, o.currency) })]),
          el("ul", { class: "items" }, o.items.map((/** @type {any} */ i) => el("li", { text: `${i.quantity} × ${i.name}${i.optionLabels?.length ? ` (${i.optionLabels.join(", ")})` : ""} — ${money(i.lineTotal, o.currency)}` }))),
          ...(o.refunds ?? []).map((/** @type {any} */ r) =>
            el("div", { class: "muted", attrs: { "data-testid": "refund", "data-status": r.status }, text: `refund ${money(r.amount, r.currency)}: ${r.status} — ${r.reason}${r.note ? ` (${r.note})` : ""}` }),
          ),
          historyNode(customer, o.history),
        ]),
      )
    : [el("p", { class: "muted", text: "none" })];
  const bookings = state.bookings.length
    ? state.bookings.map((/** @type {any} */ b) =>
        el("div", { class: "record", attrs: { "data-testid": "booking", "data-status": b.status } }, [
          el("div", { class: "record-head" }, [el("strong", { text: `Booking #${b.id}` }), el("span", { class: `status ${b.status}`, text: b.status })]),
          el("div", {}, [document.createTextNode(`${b.serviceId} with ${b.resourceId}, `), localRange(customer, b.start, b.end)]),
          el("div", { class: "muted", text: `price ${money(b.price, b.currency)}, deposit ${money(b.deposit, b.currency)} (paid ${money(b.depositPaid, b.currency)}, refunded ${money(b.depositRefunded, b.currency)})` }),
          historyNode(customer, b.history),
        ]),
      )
    : [el("p", { class: "muted", text: "none" })];
  const timeline = el(
    "ol",
    { class: "timeline", attrs: { "data-testid": "timeline" } },
    state.timeline.map((/** @type {any} */ t) =>
      t.kind === "timer"
        ? el("li", { class: `timer${t.due ? " due" : ""}` }, [el("span", { class: "muted" }, [localTime(customer, t.at)]), el("span", { text: ` ⏰ ${t.name}${t.due ? " (due)" : ""}` })])
        : el("li", { class: `message ${t.status}` }, [
            el("span", { class: "muted" }, [localTime(customer, t.at)]),
            el("span", { text: ` ✉ #${t.seq} ${t.status}${t.attempts > 1 ? ` after ${t.attempts} attempts` : ""}: ` }),
            el("span", { text: (t.message.text ?? (t.message.invoice ? `invoice ${t.message.invoice.title}` : t.message.cards ? `${t.message.cards.length} cards` : "")).slice(0, 80) }),
          ]),
    ),
  );
  $("inspector").replaceChildren(
    section("Conversation", [dl]),
    section("Slots", [el("pre", { text: JSON.stringify(state.slots, null, 2), attrs: { "data-testid": "slots" } })]),
    section("Cart", [cart]),
    section("Orders", orders),
    section("Bookings", bookings),
    el("details", { class: "panel" }, [el("summary", { text: `Event and outbox timeline (${state.timeline.length})` }), timeline]),
  );
}

// ---- diagram ---------------------------------------------------------------

/** @param {Customer|undefined} customer */
async function refreshDiagram(customer) {
  const following = page.active;
  let res;
  try {
    res = await api("GET", `${API}/bots/${encodeURIComponent(page.bot)}/diagram${customer?.started ? `?customer=${encodeURIComponent(customer.id)}` : ""}`);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
    res = await api("GET", `${API}/bots/${encodeURIComponent(page.bot)}/diagram`);
  }
  // Another customer may have been used while this answer was on its way: the diagram follows them now.
  if (page.active !== following) return;
  const { mermaid, current } = res.body;
  $("mermaid").textContent = mermaid;
  const full = parseMermaid(mermaid);
  // The flows are drawn; the global commands (which jump into them from anywhere) are listed below.
  const isCommand = (/** @type {{shape:string}} */ n) => n.shape === "command" || n.shape === "note";
  const commands = full.nodes.filter(isCommand);
  const drawn = new Set(full.nodes.filter((n) => !isCommand(n)).map((n) => n.id));
  const graph = { nodes: full.nodes.filter((n) => drawn.has(n.id)), edges: full.edges.filter((e) => drawn.has(e.from) && drawn.has(e.to)), current: full.current };
  const nameOf = (/** @type {string} */ id) => full.nodes.find((n) => n.id === id)?.label ?? id;
  const commandList = commands
    .filter((c) => c.shape === "command")
    .map((c) => `${c.label} → ${full.edges.filter((e) => e.from === c.id).map((e) => nameOf(e.to)).join(", ") || "—"}`);
  const layout = layoutGraph(graph);
  const root = svg("svg", { viewBox: `0 0 ${layout.width} ${layout.height}`, width: layout.width, height: layout.height, role: "img", "aria-label": "flow diagram" });
  const defs = svg("defs");
  const marker = svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
  marker.append(svg("path", { d: "M0,0 L10,5 L0,10 z", class: "arrowhead" }));
  defs.append(marker);
  root.append(defs);
  const back = new Set(layout.back.map(([a, b]) => `${a} ${b}`));
  for (const e of graph.edges) {
    const a = layout.positions[e.from];
    const b = layout.positions[e.to];
    if (!a || !b) continue;
    const x1 = a.x + a.width / 2;
    const y1 = a.y + a.height;
    const x2 = b.x + b.width / 2;
    const y2 = b.y;
    const isBack = back.has(`${e.from} ${e.to}`) || y2 <= y1;
    const d = isBack
      ? `M${a.x + a.width},${a.y + a.height / 2} C${Math.max(a.x, b.x) + a.width + 60},${a.y} ${Math.max(a.x, b.x) + b.width + 60},${b.y + b.height} ${b.x + b.width},${b.y + b.height / 2}`
      : `M${x1},${y1} C${x1},${(y1 + y2) / 2} ${x2},${(y1 + y2) / 2} ${x2},${y2}`;
    const path = svg("path", { d, class: `edge${isBack ? " back" : ""}`, "marker-end": "url(#arrow)" });
    if (e.label) {
      const title = svg("title");
      title.textContent = e.label;
      path.append(title);
    }
    root.append(path);
    if (e.label && !isBack) {
      const label = svg("text", { x: (x1 + x2) / 2 + 4, y: (y1 + y2) / 2, class: "edge-label" });
      label.textContent = e.label.length > 18 ? `${e.label.slice(0, 17)}…` : e.label;
      root.append(label);
    }
  }
  const currentIds = new Set(graph.current);
  for (const n of graph.nodes) {
    const p = layout.positions[n.id];
    if (!p) continue;
    const g = svg("g", { class: `node ${n.shape}${currentIds.has(n.id) ? " current" : ""}`, "data-node": n.id });
    const rx = n.shape === "start" || n.shape === "end" || n.shape === "ask" ? p.height / 2 : n.shape === "round" ? 10 : 3;
    g.append(svg("rect", { x: p.x, y: p.y, width: p.width, height: p.height, rx }));
    const text = svg("text", { x: p.x + p.width / 2, y: p.y + p.height / 2 + 4, "text-anchor": "middle" });
    text.textContent = n.label.length > 24 ? `${n.label.slice(0, 23)}…` : n.label;
    const title = svg("title");
    title.textContent = `${n.group ? `${n.group}: ` : ""}${n.label}`;
    g.append(title, text);
    root.append(g);
  }
  const where = current ? `Current: flow ${current.flow}, step ${current.step ?? "(ended)"}` : "No customer conversation: the whole bot.";
  $("diagram").replaceChildren(
    el("p", { class: "muted", text: where, attrs: { "data-testid": "diagram-current" } }),
    el("div", { class: "svg-scroll" }, [root]),
    el("p", { class: "muted commands", text: commandList.length ? `Global commands: ${commandList.join(" · ")}` : "" }),
  );
}

// ---- customers, bots, clock ----------------------------------------------

function renderTabs() {
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

function newCustomer() {
  const list = customersOf();
  const taken = new Set(list.map((c) => c.id));
  const id = NAMES.find((n) => !taken.has(n)) ?? `customer-${list.length + 1}`;
  const locale = /** @type {HTMLSelectElement} */ ($("locale")).value || botInfo()?.locale || "en";
  list.push({ id, bot: page.bot, items: [], last: 0, locale, started: false, state: undefined, busy: false });
  return selectCustomer(id);
}

/** Shows a customer (its tab, or its column side by side) and makes the inspector and the diagram follow it. @param {string} id */
async function selectCustomer(id) {
  bringForward(id);
  page.active = "";
  const customer = customersOf().find((c) => c.id === id);
  if (customer) await follow(customer);
}

/** The inspector, the diagram and the locale menu follow this customer (the one used last). @param {Customer} customer */
async function follow(customer) {
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

/** @param {string} id */
async function selectBot(id) {
  page.bot = id;
  page.active = "";
  const bot = botInfo();
  const locale = /** @type {HTMLSelectElement} */ ($("locale"));
  locale.replaceChildren(...(bot?.locales ?? []).map((l) => el("option", { text: l, attrs: { value: l } })));
  locale.value = bot?.locale ?? "";
  if (customersOf().length === 0) await newCustomer();
  else await selectCustomer((page.shown.get(id) ?? [])[0] ?? customersOf()[0]?.id ?? "");
}

async function refreshClock() {
  const res = await api("GET", `${API}/clock`);
  $("clock-now").textContent = when(res.body.now);
  $("clock-now").title = res.body.offsetMs ? `${Math.round(res.body.offsetMs / 60000)} min ahead of real time` : "real time";
}

/** @param {string} duration */
async function advance(duration) {
  showError(undefined);
  document.body.dataset.advancing = "true";
  try {
    const res = await api("POST", `${API}/clock`, { advance: duration });
    $("clock-now").textContent = when(res.body.now);
    // Timers fired: every started customer may have new messages.
    for (const c of customersOf()) await pollMessages(c);
    for (const c of visibleCustomers()) {
      if (c.started) await refreshCustomer(c);
    }
    await refreshClock();
  } catch (error) {
    showError(error);
  } finally {
    delete document.body.dataset.advancing;
  }
}

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

/** @param {Customer} customer */
async function exportTranscript(customer) {
  showError(undefined);
  try {
    const res = await api("GET", `${customerPath(customer)}/transcript`);
    const url = URL.createObjectURL(new Blob([res.text], { type: "application/yaml" }));
    const a = el("a", { attrs: { href: url, download: `${customer.bot}-${customer.id}.transcript.yaml` } });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (error) {
    showError(error);
  }
}

/** @param {Customer} customer */
async function resetCustomer(customer) {
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

async function main() {
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
