/* global document, console */
// Making the page's elements, and its one error box. Every text from a bot or
// a customer goes through textContent, never HTML.

/** @param {string} id */
export const $ = (id) => {
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
export function el(tag, props = {}, children = []) {
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
export function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/** Shows what went wrong above the chats; nothing (undefined) hides the box. @param {unknown} error */
export function showError(error) {
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
