/** Splits text into pieces of at most `max` characters (code points), at a line break when one is in the second half. */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while ([...rest].length > max) {
    const head = [...rest].slice(0, max).join("");
    let cut = head.lastIndexOf("\n");
    if (cut < head.length / 2) cut = head.length;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, "");
  }
  pieces.push(rest);
  return pieces;
}

/** "1. Latte\n2. Tea": what the customer answers with a number when there are more choices than the channel shows. */
export function numberedList(labels: readonly string[]): string {
  return labels.map((label, i) => `${i + 1}. ${label}`).join("\n");
}
