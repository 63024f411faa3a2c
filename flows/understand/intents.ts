import { FILLERS, REQUESTS } from "./lexicon.ts";
import { PhraseTrie } from "./phrases.ts";
import { phraseKeys, tokenize } from "./tokens.ts";

/** What a customer may ask for in a phrase, at any step: the global commands a sentence can name, and a person to talk to. */
export type IntentName = "cancel" | "orders" | "bookings" | "menu" | "help" | "human";

/** An intent read from a whole sentence; `about` says what a cancel names ("cancel my booking"), when it names one. */
export interface Intent {
  readonly name: IntentName;
  readonly about?: "order" | "booking";
}

/**
 * The phrases of each intent in English, French and Chinese. `{a|b|}` is a
 * choice of words (an empty choice makes them optional), so one line holds
 * "cancel my order", "cancel the order" and "cancel order". The fillers and
 * polite requests of the lexicon are read past everywhere, so "I'd like to",
 * "can I", "please", "je voudrais", "请", "我要" need no line of their own.
 */
const PHRASES: readonly (readonly [Intent, readonly string[]])[] = [
  [{ name: "cancel" }, ["cancel", "stop", "cancel {everything|it all|all}", "annuler", "annuler tout", "tout annuler", "取消", "全部取消"]],
  [
    { name: "cancel", about: "order" },
    [
      "cancel {my|our|the|this|} {order|orders}",
      "annuler {ma|notre|la|cette|} commande",
      "{取消|撤销}{我|}{这个|}订单",
      "不要{这个|}订单了",
    ],
  ],
  [
    { name: "cancel", about: "booking" },
    [
      "cancel {my|our|the|this|} {booking|appointment|appt|reservation}",
      "annuler {mon|le|ce|} {rendez-vous|rdv}",
      "annuler {ma|la|cette|} réservation",
      "取消{我|}{这个|}{预约|预订}",
    ],
  ],
  [
    { name: "orders" },
    [
      "{my|our} {order|orders}",
      "orders",
      "{show|see} {me|} my orders",
      "{where|where's|where is|wheres} {my|our|the} order",
      "{order|orders} status",
      "{the|} status {my|our|the} order",
      "what's {the|} status {my|our|the} order",
      "track {my|our|the} order",
      "{ma|mes} commandes",
      "ma commande",
      "{où|ou} en est {ma|notre|la} commande",
      "{où|ou} est {ma|notre|la} commande",
      "{suivi|statut|état|etat} {ma|la|} commande",
      "suivre {ma|la} commande",
      "{我|}订单",
      "{我|}订单在哪{里|儿|}",
      "{我|}订单{到哪|到哪里|到哪儿}{了|}",
      "{我|}订单状态",
      "{查|查看|查询}{我|}订单",
    ],
  ],
  [
    { name: "bookings" },
    [
      "{my|our} {booking|bookings|appointment|appointments|reservation|reservations}",
      "{bookings|appointments|reservations}",
      "{show|see} {me|} my {bookings|appointments|reservations}",
      "{when|when's|when is|whens} {my|our|the} {booking|appointment|reservation}",
      "{mes|mon} {rendez-vous|rdv}",
      "{mes|ma} {réservation|réservations}",
      "{c'est quand|quand est|quand c'est} {mon|le} {rendez-vous|rdv}",
      "{mon|le} {rendez-vous|rdv} {c'est quand|est quand|est à quelle heure}",
      "我{预约|预订}",
      "{我|}{预约|预订}{是|在}{什么时候|几点|哪天}",
      "{查|查看|查询}{我|}{预约|预订}",
    ],
  ],
  [
    { name: "menu" },
    [
      "{the|} menu",
      "{show|see|view|read} {me|} {the|your} menu",
      "{what's|whats|what is} on {the|your} menu",
      "{la|votre} carte",
      "{le|votre} menu",
      "{voir|montrez-moi|montre-moi|montrez moi|montre moi} {la|votre} carte",
      "{voir|montrez-moi|montre-moi|montrez moi|montre moi} {le|votre} menu",
      "菜单",
      "{看|看看|看一下|查看}菜单",
    ],
  ],
  [
    { name: "help" },
    [
      "help {me|}",
      "{what|what else} {can|could} {you|i} do",
      "how does this work",
      "how {do|does} it work",
      "aide",
      "{à|a} l'aide",
      "aidez-moi",
      "aide-moi",
      "{qu'est-ce que|que} {tu sais|vous savez|tu peux|vous pouvez} faire",
      "que {sais-tu|savez-vous|peux-tu|pouvez-vous} faire",
      "comment ça marche",
      "帮助",
      "帮帮我",
      "求助",
      "{你|您}{能|可以|会}做什么",
      "怎么用",
    ],
  ],
  [
    { name: "human" },
    [
      "{talk|speak|chat} {to|with} {a|an|} {person|human|human being|real person|someone|somebody|agent|staff|member staff|manager}",
      "{talk|speak|chat} {to|with} {the|} {staff|owner|manager|shop|cafe|salon}",
      "{a|an|} {human|real person|human being|agent}",
      "parler {à|a|avec} {quelqu'un|un humain|une personne|une vraie personne|un conseiller|une conseillère|le responsable|le gérant}",
      "{un|une|} {humain|vraie personne|conseiller|conseillère}",
      "人工",
      "{转|找|接}人工{客服|服务|}",
      "人工客服",
      "{找|联系|转}{人|真人|客服}",
      "真人",
      "客服",
      "{和|跟}{人|真人|客服}{说话|聊|聊天|说}",
    ],
  ],
];

/**
 * Words read past around an intent: the lexicon's fillers and polite
 * requests ("can I", "could you"), and "to" ("I want to cancel"). Definite
 * articles are kept: "la carte" is the menu, but "carte" alone may answer a
 * question about paying by card.
 */
const KEPT_ARTICLES: ReadonlySet<string> = new Set(["the", "le", "la", "les", "l'"]);
const IGNORED: readonly string[] = [...FILLERS.filter((f) => !KEPT_ARTICLES.has(f)), ...REQUESTS, "to", ",", ";", "，", "；", "、"];

/** The ignored words, found by longest match as a sentence is read. */
const IGNORED_TRIE = ((): PhraseTrie<true> => {
  const trie = new PhraseTrie<true>();
  for (const phrase of IGNORED) trie.add(phrase, true);
  return trie;
})();

/** The keys of `keys` that are not ignored words, joined: the form a sentence and a phrase are compared in. */
function meaningful(keys: readonly string[]): string {
  const kept: string[] = [];
  for (let i = 0; i < keys.length; ) {
    const longest = IGNORED_TRIE.matchesAt(keys, i)[0];
    if (longest) {
      i += longest.length;
    } else {
      kept.push(keys[i] ?? "");
      i += 1;
    }
  }
  return kept.join(" ");
}

/** Every phrase a `{a|b|}` pattern stands for. */
export function expandPattern(pattern: string): string[] {
  const choice = /\{([^{}]*)\}/.exec(pattern);
  if (!choice) return [pattern.replace(/\s+/g, " ").trim()];
  const before = pattern.slice(0, choice.index);
  const after = pattern.slice(choice.index + choice[0].length);
  return (choice[1] ?? "").split("|").flatMap((word) => expandPattern(before + word + after));
}

/** Each phrase's compared form, and the intent it says. */
const INTENTS = ((): ReadonlyMap<string, Intent> => {
  const byForm = new Map<string, Intent>();
  for (const [intent, patterns] of PHRASES) {
    for (const phrase of patterns.flatMap(expandPattern)) {
      const form = meaningful(phraseKeys(phrase));
      const known = byForm.get(form);
      // Two intents read alike would make the table's order decide: a phrase table with that mistake fails on load, in every test.
      if (known && (known.name !== intent.name || known.about !== intent.about)) {
        throw new Error(`flows/understand/intents.ts: "${phrase}" reads as "${form}", which is already ${known.name}${known.about ? ` (${known.about})` : ""}`);
      }
      if (form !== "") byForm.set(form, intent);
    }
  }
  return byForm;
})();

/**
 * The intent a whole sentence says, in any language Kiosk speaks: "cancel my
 * booking", "où en est ma commande", "转人工". Fillers and politeness are read
 * past; anything else left over ("cancel the croissants", "help me choose a
 * latte") means the sentence is about something more, and no intent is read.
 *
 * @example
 * readIntent("I'd like to cancel my appointment please") // { name: "cancel", about: "booking" }
 * readIntent("cancel the croissants") // undefined
 */
export function readIntent(text: string): Intent | undefined {
  const form = meaningful(tokenize(text).map((t) => t.key));
  return form === "" ? undefined : INTENTS.get(form);
}
