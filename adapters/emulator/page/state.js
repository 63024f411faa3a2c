/* global window */
// What the page holds: the bots, each bot's customers and their chats, which
// customer the inspector follows, and which are shown side by side.

import { API } from "./api.js";

/**
 * @typedef {{ kind: "user", text: string } | { kind: "bot", seq: number, message: any } | { kind: "note", text: string }} Item
 * @typedef {{ root: HTMLElement, title: HTMLElement, chat: HTMLElement, input: HTMLInputElement }} Column
 * @typedef {{ id: string, bot: string, items: Item[], last: number, locale: string, started: boolean, state: any, busy: boolean, view?: Column }} Customer
 * @typedef {{text:string}|{press:string}|{pay:"succeed"|"decline"|"slow"}|{contact:string}|{location:{latitude:number,longitude:number}}} Action what a customer does, as the events route takes it
 */

/** How many customers side by side show at once. */
export const MAX_COLUMNS = 3;
/** Side by side needs room for its columns and the inspector; narrower windows keep tabs. */
export const WIDE = window.matchMedia("(min-width: 1000px)");

export const page = {
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

/** The selected bot's customers (an empty list the first time). */
export const customersOf = () => {
  let list = page.customers.get(page.bot);
  if (!list) page.customers.set(page.bot, (list = []));
  return list;
};
export const activeCustomer = () => customersOf().find((c) => c.id === page.active);
export const customerPath = (/** @type {Customer} */ c) => `${API}/bots/${encodeURIComponent(c.bot)}/customers/${encodeURIComponent(c.id)}`;
export const botInfo = () => page.bots.find((b) => b.id === page.bot);
export const sideBySide = () => page.sideBySide && WIDE.matches;

/** The customers whose chats are on screen, in tab order: the active one in tabs, up to three side by side. */
export function visibleCustomers() {
  if (!sideBySide()) return customersOf().filter((c) => c.id === page.active);
  const shown = new Set((page.shown.get(page.bot) ?? []).slice(0, MAX_COLUMNS));
  return customersOf().filter((c) => shown.has(c.id));
}

/** Puts a customer first among those shown side by side (the oldest drops out beyond three). */
export function bringForward(/** @type {string} */ id) {
  const list = (page.shown.get(page.bot) ?? []).filter((x) => x !== id);
  list.unshift(id);
  page.shown.set(page.bot, list.slice(0, MAX_COLUMNS));
}
