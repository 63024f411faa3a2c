/**
 * Escapes text for Telegram's HTML parse mode. Telegram's HTML knows only
 * `&lt;`, `&gt;`, `&amp;` and `&quot;`; escaping exactly these (and `&`
 * first) makes any user or product text safe, whatever it holds: `<b>`,
 * `&amp;`, emoji, right-to-left text.
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Telegram's limit for one message's text, in characters after entity parsing. */
export const MAX_TEXT = 4096;

/**
 * Splits plain text into pieces of at most `max` characters, at a line break
 * where there is one in the second half of a piece, never inside a surrogate pair.
 */
export function splitText(text: string, max = MAX_TEXT): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf("\n", max);
    if (cut < max / 2) cut = max;
    // Do not split a surrogate pair (an emoji) in two.
    const code = rest.charCodeAt(cut - 1);
    if (cut === max && code >= 0xd800 && code <= 0xdbff) cut -= 1;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, "");
  }
  pieces.push(rest);
  return pieces;
}
