/* global prompt */
// One bot message's bubbles as the chosen channel shows them (from
// channels.js): text with buttons, carousels of cards, lists, invoices with
// test payments, share buttons. What the customer does with them goes to
// `send`.

import { formatMoney } from "./channels.js";
import { el, showError } from "./dom.js";

/**
 * @typedef {import("./state.js").Customer} Customer
 * @typedef {(action: import("./state.js").Action, shown: string) => void} Send sends what the customer did; `shown` is what their chat shows of it
 */

/** @param {{ buttons?: readonly {label:string,payload:string}[], buttonStyle?: string }} bubble @param {Send} send */
function buttonRow(bubble, send) {
  const buttons = bubble.buttons ?? [];
  if (buttons.length === 0) return null;
  return el(
    "div",
    { class: `buttons ${bubble.buttonStyle ?? "inline"}` },
    buttons.map((b) => {
      const button = el("button", { text: b.label, title: b.payload, attrs: { type: "button", "data-payload": b.payload } });
      button.addEventListener("click", () => send({ press: b.payload }, b.label));
      return button;
    }),
  );
}

/** @param {{title:string,subtitle?:string,price?:{amount:number,currency:string},buttons?:readonly {label:string,payload:string}[]}} card @param {Customer} customer @param {Send} send */
function cardNode(card, customer, send) {
  return el("div", { class: "card", attrs: { "data-testid": "card" } }, [
    el("div", { class: "card-title", text: card.title }),
    card.subtitle ? el("div", { class: "card-subtitle", text: card.subtitle }) : null,
    card.price ? el("div", { class: "price", text: formatMoney(card.price, customer.locale) }) : null,
    buttonRow({ buttons: card.buttons ?? [], buttonStyle: "in-card" }, send),
  ]);
}

/**
 * A bubble of renderForChannel as elements; the invoice's buttons are off once its order is past awaiting payment.
 * @param {any} bubble @param {Customer} customer @param {Send} send
 */
export function bubbleNode(bubble, customer, send) {
  switch (bubble.kind) {
    case "text":
      return el("div", { class: `bubble bot${bubble.text === "" ? " bare" : ""}` }, [bubble.text === "" ? null : el("div", { class: "text", text: bubble.text }), buttonRow(bubble, send)]);
    case "carousel":
      return el("div", { class: "carousel", attrs: { "data-testid": "carousel" } }, bubble.cards.map((/** @type {any} */ c) => cardNode(c, customer, send)));
    case "list": {
      const rows = el(
        "ol",
        { class: "list-rows" },
        bubble.rows.map((/** @type {any} */ r) => {
          const row = el("li", {}, [
            el("button", { class: "row", text: r.label, title: r.payload, attrs: { type: "button", "data-payload": r.payload } }),
            r.description ? el("span", { class: "row-description", text: r.description }) : null,
          ]);
          row.querySelector("button")?.addEventListener("click", () => send({ press: r.payload }, r.label));
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
        b.addEventListener("click", () => send({ pay: outcome }, `[test payment: ${outcome}]`));
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
          send({ contact: answer.trim() }, `[shared contact: ${answer.trim()}]`);
          return;
        }
        const [latitude, longitude] = answer.split(",").map((x) => Number(x.trim()));
        if (latitude === undefined || longitude === undefined || !Number.isFinite(latitude) || !Number.isFinite(longitude)) {
          showError(new Error("write the location as latitude, longitude, e.g. 48.8566, 2.3522"));
          return;
        }
        send({ location: { latitude, longitude } }, `[shared location: ${latitude}, ${longitude}]`);
      });
      return el("div", { class: "bubble bot share bare", attrs: { "data-testid": "share" } }, [el("div", { class: "buttons share" }, [b])]);
    }
    default:
      return el("div", { class: "bubble bot", text: JSON.stringify(bubble) });
  }
}
