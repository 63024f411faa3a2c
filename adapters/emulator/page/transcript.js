/* global document, URL, Blob, setTimeout */
// Exporting a customer's conversation as a transcript file that `kiosk test`
// replays.

import { api } from "./api.js";
import { el, showError } from "./dom.js";
import { customerPath } from "./state.js";

/** Downloads the customer's transcript as <bot>-<customer>.transcript.yaml. @param {import("./state.js").Customer} customer */
export async function exportTranscript(customer) {
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
