/* global document */
// The emulator's clock: what time it is for the bots, and fast-forwarding it
// so timers (reminders, expiries) fire and their messages reach the chats.

import { api, API } from "./api.js";
import { pollMessages, refreshCustomer } from "./conversation.js";
import { $, showError } from "./dom.js";
import { customersOf, visibleCustomers } from "./state.js";

/** An ISO instant, short, in UTC (the clock, which no customer owns). @param {string} iso */
const when = (iso) => (iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z") : "");

/** Shows the emulator's time, and how far ahead of real time it is on hover. */
export async function refreshClock() {
  const res = await api("GET", `${API}/clock`);
  $("clock-now").textContent = when(res.body.now);
  $("clock-now").title = res.body.offsetMs ? `${Math.round(res.body.offsetMs / 60000)} min ahead of real time` : "real time";
}

/** Moves the clock forward by an ISO 8601 duration, then brings every customer's new messages. @param {string} duration */
export async function advance(duration) {
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
