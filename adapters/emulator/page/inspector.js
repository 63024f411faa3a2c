/* global document */
// The inspector: the conversation the page follows (flow, step, slots, cart,
// orders, bookings, the event and outbox timeline), from the state route.

import { api, ApiError } from "./api.js";
import { formatMoney } from "./channels.js";
import { $, el } from "./dom.js";
import { customerPath, page } from "./state.js";
import { localRange, localTime, timeZoneOf } from "./time.js";

/** @typedef {import("./state.js").Customer} Customer */

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
export async function refreshState(customer) {
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
