/* global document, window, fetch, URL, Blob, setTimeout, clearTimeout, console */
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

/** @param {string} method @param {string} path @param {unknown} [body] */
async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
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
 * @typedef {{ id: string, items: Item[], last: number, locale: string, started: boolean, state: any }} Customer
 */

const page = {
  /** @type {Array<{id:string,name:string,locale:string,locales:string[],flows:string[]}>} */
  bots: [],
  bot: "",
  channel: "emulator",
  /** @type {Map<string, Customer[]>} per bot */
  customers: new Map(),
  active: "",
  /** @type {ReturnType<typeof setTimeout>|undefined} */
  pollTimer: undefined,
  busy: false,
};

const customersOf = () => {
  let list = page.customers.get(page.bot);
  if (!list) page.customers.set(page.bot, (list = []));
  return list;
};
const activeCustomer = () => customersOf().find((c) => c.id === page.active);
const customerPath = (/** @type {Customer} */ c) => `${API}/bots/${encodeURIComponent(page.bot)}/customers/${encodeURIComponent(c.id)}`;
const botInfo = () => page.bots.find((b) => b.id === page.bot);

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

/** @param {{ buttons?: readonly {label:string,payload:string}[], buttonStyle?: string }} bubble */
function buttonRow(bubble) {
  const buttons = bubble.buttons ?? [];
  if (buttons.length === 0) return null;
  return el(
    "div",
    { class: `buttons ${bubble.buttonStyle ?? "inline"}` },
    buttons.map((b) => {
      const button = el("button", { text: b.label, title: b.payload, attrs: { type: "button", "data-payload": b.payload } });
      button.addEventListener("click", () => void act({ press: b.payload }, b.label));
      return button;
    }),
  );
}

/** @param {{title:string,subtitle?:string,price?:{amount:number,currency:string},buttons?:readonly {label:string,payload:string}[]}} card @param {string} locale */
function cardNode(card, locale) {
  return el("div", { class: "card", attrs: { "data-testid": "card" } }, [
    el("div", { class: "card-title", text: card.title }),
    card.subtitle ? el("div", { class: "card-subtitle", text: card.subtitle }) : null,
    card.price ? el("div", { class: "price", text: formatMoney(card.price, locale) }) : null,
    buttonRow({ buttons: card.buttons ?? [], buttonStyle: "in-card" }),
  ]);
}

/** @param {any} bubble @param {Customer} customer */
function bubbleNode(bubble, customer) {
  const locale = customer.locale;
  switch (bubble.kind) {
    case "text":
      return el("div", { class: `bubble bot${bubble.text === "" ? " bare" : ""}` }, [bubble.text === "" ? null : el("div", { class: "text", text: bubble.text }), buttonRow(bubble)]);
    case "carousel":
      return el("div", { class: "carousel", attrs: { "data-testid": "carousel" } }, bubble.cards.map((/** @type {any} */ c) => cardNode(c, locale)));
    case "list": {
      const rows = el(
        "ol",
        { class: "list-rows" },
        bubble.rows.map((/** @type {any} */ r) => {
          const row = el("li", {}, [
            el("button", { class: "row", text: r.label, title: r.payload, attrs: { type: "button", "data-payload": r.payload } }),
            r.description ? el("span", { class: "row-description", text: r.description }) : null,
          ]);
          row.querySelector("button")?.addEventListener("click", () => void act({ press: r.payload }, r.label));
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
        b.addEventListener("click", () => void act({ pay: outcome }, `[test payment: ${outcome}]`));
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
    default:
      return el("div", { class: "bubble bot", text: JSON.stringify(bubble) });
  }
}

function renderChat() {
  const chat = $("chat");
  const customer = activeCustomer();
  chat.replaceChildren();
  $("chat-title").textContent = customer ? `${botInfo()?.name ?? page.bot} · ${customer.id} · ${customer.locale}` : "";
  if (!customer) return;
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

/**
 * Sends what the customer did; the replies come back in the answer (and by polling).
 * @param {{text:string}|{press:string}|{pay:"succeed"|"decline"|"slow"}} action
 * @param {string} shown what the chat shows the customer did
 */
async function act(action, shown) {
  const customer = activeCustomer();
  if (!customer || page.busy) return;
  page.busy = true;
  showError(undefined);
  try {
    customer.items.push({ kind: "user", text: shown });
    renderChat();
    const body = customer.started ? action : { ...action, locale: customer.locale };
    const res = await api("POST", `${customerPath(customer)}/events`, body);
    customer.started = true;
    addMessages(customer, res.body.messages ?? []);
    if (res.status === 202) customer.items.push({ kind: "note", text: "Slow payment: the provider answers in a moment…" });
    await refreshCustomer(customer);
  } catch (error) {
    showError(error);
    renderChat();
  } finally {
    page.busy = false;
  }
}

/** New messages (timers, slow payments), the inspector and the diagram of one customer. */
async function refreshCustomer(/** @type {Customer} */ customer) {
  await pollMessages(customer);
  if (customer.id === page.active) await Promise.all([refreshState(customer), refreshDiagram(customer)]);
  renderChat();
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

/** @param {string} iso */
const when = (iso) => (iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z") : "");

/** @param {Array<{from:string,to:string,cause:string,at:string}>} history */
function historyNode(history) {
  return el(
    "ol",
    { class: "history", attrs: { "data-testid": "history" } },
    history.map((h) => el("li", {}, [el("span", { class: "transition", text: `${h.from} → ${h.to}` }), el("span", { class: "muted", text: ` ${h.cause} · ${when(h.at)}` })])),
  );
}

/** @param {string} title @param {Node[]} children */
const section = (title, children) => el("section", { class: "panel" }, [el("h3", { text: title }), ...children]);

/** @param {Customer} customer */
async function refreshState(customer) {
  let state;
  try {
    state = (await api("GET", `${customerPath(customer)}/state`)).body;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      customer.state = undefined;
      $("inspector").replaceChildren(el("p", { class: "muted", text: "No conversation yet: send a message." }));
      return;
    }
    throw error;
  }
  customer.state = state;
  const loc = customer.locale;
  const money = (/** @type {number} */ amount, /** @type {string} */ currency) => formatMoney({ amount, currency }, loc);
  const facts = [
    ["Flow", state.flow ?? "—"],
    ["Step", state.step ?? "(ended)"],
    ["Flow version", state.flowVersion ?? "—"],
    ["Locale", state.locale ?? "—"],
    ["Version", String(state.version)],
  ];
  if (state.phase) facts.push(["Phase", typeof state.phase === "object" ? JSON.stringify(state.phase) : String(state.phase)]);
  const dl = el("dl", { class: "facts" }, facts.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v, attrs: { "data-fact": k.toLowerCase() } })]));
  const cart = state.cart.length
    ? el("ul", {}, state.cart.map((/** @type {any} */ l) => el("li", { text: `${l.quantity} × ${l.name ?? l.productId}${l.optionLabels?.length ? ` (${l.optionLabels.join(", ")})` : ""}${typeof l.unitPrice === "number" && l.currency ? ` — ${money(l.unitPrice * l.quantity, l.currency)}` : ""}` })))
    : el("p", { class: "muted", text: "empty" });
  const orders = state.orders.length
    ? state.orders.map((/** @type {any} */ o) =>
        el("div", { class: "record", attrs: { "data-testid": "order", "data-status": o.status } }, [
          el("div", { class: "record-head" }, [el("strong", { text: `Order #${o.id}` }), el("span", { class: `status ${o.status}`, text: o.status.replace(/_/g, " ") }), el("span", { text: money(o.total, o.currency) })]),
          el("ul", { class: "items" }, o.items.map((/** @type {any} */ i) => el("li", { text: `${i.quantity} × ${i.name}${i.optionLabels?.length ? ` (${i.optionLabels.join(", ")})` : ""} — ${money(i.lineTotal, o.currency)}` }))),
          historyNode(o.history),
        ]),
      )
    : [el("p", { class: "muted", text: "none" })];
  const bookings = state.bookings.length
    ? state.bookings.map((/** @type {any} */ b) =>
        el("div", { class: "record", attrs: { "data-testid": "booking", "data-status": b.status } }, [
          el("div", { class: "record-head" }, [el("strong", { text: `Booking #${b.id}` }), el("span", { class: `status ${b.status}`, text: b.status })]),
          el("div", { text: `${b.serviceId} with ${b.resourceId}, ${when(b.start)} – ${when(b.end)}` }),
          el("div", { class: "muted", text: `price ${money(b.price, b.currency)}, deposit ${money(b.deposit, b.currency)} (paid ${money(b.depositPaid, b.currency)}, refunded ${money(b.depositRefunded, b.currency)})` }),
          historyNode(b.history),
        ]),
      )
    : [el("p", { class: "muted", text: "none" })];
  const timeline = el(
    "ol",
    { class: "timeline", attrs: { "data-testid": "timeline" } },
    state.timeline.map((/** @type {any} */ t) =>
      t.kind === "timer"
        ? el("li", { class: `timer${t.due ? " due" : ""}` }, [el("span", { class: "muted", text: when(t.at) }), el("span", { text: ` ⏰ ${t.name}${t.due ? " (due)" : ""}` })])
        : el("li", { class: `message ${t.status}` }, [
            el("span", { class: "muted", text: when(t.at) }),
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
  let res;
  try {
    res = await api("GET", `${API}/bots/${encodeURIComponent(page.bot)}/diagram${customer?.started ? `?customer=${encodeURIComponent(customer.id)}` : ""}`);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
    res = await api("GET", `${API}/bots/${encodeURIComponent(page.bot)}/diagram`);
  }
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
  tabs.replaceChildren(
    ...customersOf().map((c) => {
      const tab = el("button", { class: `tab${c.id === page.active ? " active" : ""}`, text: c.id, attrs: { type: "button", role: "tab", "aria-selected": String(c.id === page.active), "data-customer": c.id } });
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
  list.push({ id, items: [], last: 0, locale, started: false, state: undefined });
  return selectCustomer(id);
}

/** @param {string} id */
async function selectCustomer(id) {
  page.active = id;
  renderTabs();
  const customer = activeCustomer();
  if (customer) /** @type {HTMLSelectElement} */ ($("locale")).value = customer.locale;
  renderChat();
  if (customer && customer.started) await refreshCustomer(customer).catch(showError);
  else {
    $("inspector").replaceChildren(el("p", { class: "muted", text: "No conversation yet: send a message." }));
    await refreshDiagram(undefined).catch(showError);
  }
}

/** @param {string} id */
async function selectBot(id) {
  page.bot = id;
  const bot = botInfo();
  const locale = /** @type {HTMLSelectElement} */ ($("locale"));
  locale.replaceChildren(...(bot?.locales ?? []).map((l) => el("option", { text: l, attrs: { value: l } })));
  locale.value = bot?.locale ?? "";
  if (customersOf().length === 0) await newCustomer();
  else await selectCustomer(customersOf()[0]?.id ?? "");
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
    const customer = activeCustomer();
    if (customer?.started) await refreshCustomer(customer);
    await refreshClock();
  } catch (error) {
    showError(error);
  } finally {
    delete document.body.dataset.advancing;
  }
}

async function poll() {
  try {
    let changed = false;
    for (const c of customersOf()) {
      const added = await pollMessages(c);
      if (added > 0 && c.id === page.active) changed = true;
    }
    const customer = activeCustomer();
    if (changed && customer) await refreshCustomer(customer);
    await refreshClock();
  } catch (error) {
    showError(error);
  } finally {
    page.pollTimer = setTimeout(() => void poll(), POLL_MS);
  }
}

async function exportTranscript() {
  const customer = activeCustomer();
  if (!customer) return;
  showError(undefined);
  try {
    const res = await api("GET", `${customerPath(customer)}/transcript`);
    const url = URL.createObjectURL(new Blob([res.text], { type: "application/yaml" }));
    const a = el("a", { attrs: { href: url, download: `${page.bot}-${customer.id}.transcript.yaml` } });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (error) {
    showError(error);
  }
}

async function resetCustomer() {
  const customer = activeCustomer();
  if (!customer) return;
  showError(undefined);
  try {
    if (customer.started) await api("DELETE", customerPath(customer));
    customer.items = [{ kind: "note", text: "Conversation reset (orders and bookings stay). The next message starts afresh." }];
    customer.started = false;
    customer.locale = /** @type {HTMLSelectElement} */ ($("locale")).value || customer.locale;
    customer.state = undefined;
    await selectCustomer(customer.id);
  } catch (error) {
    showError(error);
  }
}

async function main() {
  const channel = /** @type {HTMLSelectElement} */ ($("channel"));
  channel.replaceChildren(...CHANNEL_IDS.map((id) => el("option", { text: CHANNELS[id]?.name ?? id, attrs: { value: id } })));
  channel.addEventListener("change", () => {
    page.channel = channel.value;
    renderChat();
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
      renderChat();
    } else if (customer && customer.locale !== value) {
      showError(`${customer.id} already chats in ${customer.locale}; the locale is sent with the first message. Reset the conversation or add a new customer to use ${value}.`);
    }
  });
  $("new-customer").addEventListener("click", () => void newCustomer().catch(showError));
  $("reset").addEventListener("click", () => void resetCustomer());
  $("export").addEventListener("click", () => void exportTranscript());
  for (const b of document.querySelectorAll("[data-advance]")) {
    b.addEventListener("click", () => void advance(b.getAttribute("data-advance") ?? ""));
  }
  $("clock-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = /** @type {HTMLInputElement} */ ($("clock-custom"));
    if (input.value.trim()) void advance(input.value.trim());
  });
  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = /** @type {HTMLInputElement} */ ($("text"));
    const text = input.value;
    if (!text.trim()) return;
    input.value = "";
    void act({ text }, text);
  });
  const wanted = new URL(window.location.href).searchParams.get("bot");
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
