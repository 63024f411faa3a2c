import type { BookingCalendar } from "../../commerce/index.ts";
import { PARTS_OF_DAY, PARTS_OF_TODAY } from "./booking-words.ts";
import { FILLERS, NUMBER_WORDS, REQUESTS } from "./lexicon.ts";
import { PhraseTrie } from "./phrases.ts";
import { tokenize, type Token } from "./tokens.ts";

/** What a customer may ask for in a phrase, at any step: the global commands a sentence can name, and a person to talk to. */
export type IntentName = "cancel" | "orders" | "bookings" | "menu" | "help" | "human";

/** An intent read from a whole sentence; `about` says what a cancel names ("cancel my booking"), when it names one. */
export interface Intent {
  readonly name: IntentName;
  readonly about?: "order" | "booking";
}

/** What readIntent knows of the bot besides its words. */
export interface ReadIntentOptions {
  /**
   * The names and aliases of the calendar's services, in every locale (see
   * {@link bookingWords}): a cancel or a question about bookings may name
   * one in place of "booking" ("cancel my haircut", "c'est quand ma coupe ?",
   * "取消明天的剪发").
   */
  readonly bookingWords?: readonly string[] | undefined;
}

/**
 * Where a phrase takes a day, a date, a time or a number: "tomorrow", "on
 * the 15th", "de vendredi", "n°1", "#1", "明天", "15号". A run of such words
 * in a sentence is read as this one slot when it holds a day or a number.
 */
const WHEN = "<when>";
/** Where a phrase takes one of the bot's booking words (a service's name or alias). */
const SERVICE = "<service>";
/**
 * Ends a phrase that asks only with a question mark: "j'ai un rendez-vous ?"
 * asks for the bookings, "j'ai un rendez-vous à 10h" says why one has come.
 */
const ASKED = "?";
const QUESTION_MARK_AT_END = /[?？]\s*$/u;

/**
 * Words that say the same thing in every intent, each read as the first of
 * its line, in sentences and phrases alike: the phrases are written with the
 * first ("cancel my booking" holds "call off our appointment").
 */
const SYNONYMS: readonly (readonly string[])[] = [
  ["cancel", "call off"],
  ["booking", "appointment", "appt", "reservation"],
  ["bookings", "appointments", "appts", "reservations"],
  ["my", "our"],
  ["next", "upcoming", "future", "coming"],
  ["show", "see", "list", "view", "check", "display"],
  ["when", "when is", "when's", "whens", "what time", "what time is", "what time's", "what day", "what day is", "what day's", "what date", "what date is"],
  ["someone", "somebody", "anyone"],
  ["salon", "shop", "cafe", "store", "team", "business", "restaurant", "boutique", "magasin", "équipe"],
  ["call", "ring", "phone", "contact"],
  ["talk", "speak", "chat"],
  ["annuler", "annule", "annulez", "annulons", "j'annule", "on annule"],
  ["rdv", "rendez-vous"],
  ["mon", "ma", "mes", "notre", "nos"],
  ["prochain", "prochaine", "prochains", "prochaines"],
  [
    "quand", "c'est quand", "quand est", "quand c'est", "est quand", "c'est pour quand", "est pour quand", "pour quand", "c'est à quelle heure", "à quelle heure est",
    "à quelle heure c'est", "est à quelle heure", "à quelle heure", "c'est quel jour", "quel jour est", "est quel jour", "quel jour", "c'est quelle heure",
  ],
  ["voir", "afficher", "consulter", "vérifier", "lister", "montrer", "montrez-moi", "montre-moi", "montrez moi", "montre moi"],
  ["m'appeler", "me rappeler", "me téléphoner", "me telephoner", "me contacter", "me recontacter"],
  ["appelez-moi", "rappelez-moi", "appelle-moi", "rappelle-moi", "téléphonez-moi", "telephonez-moi"],
  ["取消", "撤销", "退订"],
  ["预约", "预订"],
  ["查", "查看", "查询", "看", "看看", "看下"],
  ["什么时候", "几点", "哪天", "哪一天", "几号", "星期几", "周几", "礼拜几"],
  ["店员", "店里的人", "店里人", "工作人员", "老板", "店长", "店家", "前台", "服务员"],
  ["说话", "聊", "聊天", "说", "谈", "谈谈", "沟通", "通话"],
  ["记录", "列表", "信息", "详情", "情况", "历史"],
];

// A booking as a cancel or a question about one names it: "booking", a service, "a haircut appointment", "an appointment for a colour".
const EN_BOOKING = `{booking|${SERVICE} {booking|}|booking for {a|an|the|my|} ${SERVICE}}`;
const EN_BOOKINGS = `{bookings|${SERVICE} bookings}`;
/** A booking named in a list or a question about bookings: a service alone is not ("my haircut" may answer "Which service?"). */
const EN_LISTED = `{booking|bookings|${SERVICE} booking|${SERVICE} bookings}`;
const FR_BOOKING = `{rdv|réservation|${SERVICE}|{rdv|réservation} {pour|} {la|le|mon|l'|une|un|} ${SERVICE}}`;
const ZH_BOOKING = `{预约|约|${SERVICE}|${SERVICE}预约|预约${SERVICE}}`;
/** Someone of the business, who may call or talk to the customer. */
const EN_SOMEONE = "{someone|staff|the staff|a member of staff} {from {the|your} salon|}";
const FR_SOMEONE = "{quelqu'un|une personne|un conseiller|une conseillère|le salon|la boutique|le responsable|le gérant|vous} {du salon|de chez vous|}";
const ZH_SOMEONE = "{人|真人|客服|人工|人工客服|店员}";

/**
 * The phrases of each intent in English, French and Chinese. `{a|b|}` is a
 * choice of words (an empty choice makes them optional), so one line holds
 * "cancel my order", "cancel the order" and "cancel order". The fillers and
 * polite requests of the lexicon are read past everywhere, so "I'd like to",
 * "can I", "please", "je voudrais", "请", "我要" need no line of their own,
 * and a synonym is written as the first of its line of SYNONYMS. `<when>`
 * takes a day, date, time or number ("for friday", "du 15", "#1", "15号");
 * `<service>` one of the bot's booking words, when it has some.
 */
const PHRASES: readonly (readonly [Intent, readonly string[]])[] = [
  [
    { name: "cancel" },
    [
      "cancel",
      "stop",
      "cancel {everything|it all|all|that|this|it}",
      "annuler {ça|ca|cela|tout|tout ça|}",
      "tout annuler",
      "{arrête|arrêtez|arrêter} {tout|}",
      "取消{这个|那个|它|掉|全部|所有|}",
      "{全部|都|统统}取消",
      // Not "算了", "never mind", "laisse tomber": they may mean "forget what I just said", and cancel lets go of a cart or a hold.
    ],
  ],
  [
    { name: "cancel", about: "order" },
    [
      "cancel {my|the|this|that|} {order|orders}",
      "annuler {mon|la|cette|ce|} commande",
      "取消{掉|}{我|}{这个|}订单",
      "{把|}{我|}{这个|}订单取消{掉|}",
      "不要{这个|}订单了",
    ],
  ],
  [
    { name: "cancel", about: "booking" },
    [
      `cancel {my|the|this|that|} {next|} {${WHEN}|} ${EN_BOOKING} {${WHEN}|}`,
      `cancel {my|the|these|those|all my|all|} {${WHEN}|} ${EN_BOOKINGS} {${WHEN}|}`,
      `annuler {mon|le|la|l'|ce|cette|les|} {prochain|} {${FR_BOOKING}|réservations} {${WHEN}|}`,
      `取消{掉|}{我|我们|}{${WHEN}|}{这个|那个|}${ZH_BOOKING}`,
      `{把|}{我|我们|}{${WHEN}|}{这个|那个|}${ZH_BOOKING}取消{掉|}{了|}`,
    ],
  ],
  [
    { name: "orders" },
    [
      "my {order|orders}",
      "orders",
      "show {me|} {my|all my|} {past|previous|recent|} {orders|order history}",
      "my {past|previous|recent|last} {order|orders}",
      "{past|previous|recent} orders",
      "{my|} {order|orders} history",
      "{where|where's|where is|wheres} {my|the} order",
      "{order|orders} status",
      "{the|} status {my|the} order",
      "what's {the|} status {my|the} order",
      "track {my|the} order",
      "mon {commande|commandes}",
      "voir {mon|} {dernières|dernière|anciennes|précédentes|} {commande|commandes}",
      "mon {dernières|dernière|anciennes|précédentes} {commande|commandes}",
      "historique {de|des|} {mon|} commandes",
      "{où|ou} en est {mon|la} commande",
      "{où|ou} est {mon|la} commande",
      "{suivi|statut|état|etat} {mon|la|} commande",
      "suivre {mon|la} commande",
      "{我|}{历史|}订单{记录|}",
      "历史订单",
      "{我|}订单在哪{里|儿|}",
      "{我|}订单{到哪|到哪里|到哪儿}{了|}",
      "{我|}订单状态",
      "查{我|}{历史|}订单{记录|}",
    ],
  ],
  [
    { name: "bookings" },
    [
      `my {next|} ${EN_LISTED} {${WHEN}|}`,
      "{next|} bookings",
      `show {me|} {my|all my|} {next|} ${EN_LISTED} {${WHEN}|}`,
      `when {my|the} {next|} ${EN_BOOKING} {${WHEN}|}`,
      `{do|did} {i|we} have {a|an|any|} {next|} {${WHEN}|} ${EN_LISTED} {${WHEN}|}`,
      `{have|'ve} {i|we} got {a|an|any|} {next|} {${WHEN}|} ${EN_LISTED} {${WHEN}|}`,
      `did {i|we} {make|book} {a|an|any} ${EN_BOOKING} {${WHEN}|}`,
      `{am i|are we} booked {in|} {${WHEN}|}`,
      `is my ${EN_BOOKING} {${WHEN}|} {confirmed|booked|still on}`,
      `what {did|have} {i|we} {book|booked} {${WHEN}|}`,
      `{what is|what's|whats|what are} my ${EN_LISTED} {${WHEN}|}`,
      "{my|} booking {history|details}",
      `mon {prochain|} {rdv|réservation|réservations} {${WHEN}|}`,
      `voir {mon|} {prochain|} {rdv|réservation|réservations} {${WHEN}|}`,
      `quand {mon|le|la} {prochain|} ${FR_BOOKING} {${WHEN}|}`,
      `{mon|le|la} {prochain|} ${FR_BOOKING} {${WHEN}|} quand`,
      `ai-je {un|une|des|} {rdv|réservation|réservations} {${WHEN}|}`,
      `{j'ai|on a|nous avons} {un|une|des|} {rdv|réservation|réservations} {${WHEN}|} ?`,
      "j'ai {un|une|} {rdv|réservation} quand",
      "{qu'est-ce que|qu'est ce que|} j'ai {réservé|pris}",
      "j'ai {réservé|pris} {quoi|quand}",
      "historique {de|des|} {mon|} {rdv|réservations}",
      `我{们|}{${WHEN}|}{预约|${SERVICE}预约}{记录|}`,
      "预约记录",
      `查{我|我们|}{${WHEN}|}{预约|${SERVICE}预约}{记录|}`,
      `{我|我们|}{${WHEN}|}{${SERVICE}|}{约|预约|订}{了|}{是|在|}什么时候`,
      `{我|我们|}{${WHEN}|}${SERVICE}{是|在}什么时候`,
      `{${WHEN}|}{我|我们}{${WHEN}|}{有没有}{预约|约|${SERVICE}预约}`,
      `{${WHEN}|}{我|我们}{${WHEN}|}有{预约|约|${SERVICE}预约}{吗|?}`,
      "{我|我们|}{约|预约|订}了{什么|哪个|哪些}{服务|项目|}",
    ],
  ],
  [
    { name: "menu" },
    [
      "{the|} {main|} menu",
      "{show|read} {me|} {the|your} menu",
      "{what's|whats|what is} on {the|your} menu",
      "{back|go back|get back|take me back|return|going back|go|take me} to {the|} {main menu|menu|start|beginning|main screen|home screen}",
      "{start|begin} {again|over|afresh|from scratch|from the beginning|from the start|from the top}",
      "{let's|lets} start {again|over}",
      "{restart|reset}",
      "{la|votre} carte",
      "{le|votre} {menu|menu principal}",
      "menu principal",
      "voir {la|votre} carte",
      "voir {le|votre} menu",
      "{recommencer|on recommence|je recommence|recommençons|tout recommencer|on recommence tout}",
      "{reprendre|recommencer|repartir|on reprend|on repart} {à zéro|de zéro|depuis le début|du début|au début}",
      "{retour|revenir|retourner|retournez|revenez|reviens|retourne|on revient|on retourne} {au menu|au menu principal|au début|à l'accueil|au départ|à la carte|à la page d'accueil}",
      "{主菜单|菜单}",
      "查{一下|}菜单",
      "{回到|返回|回|退回}{主菜单|菜单|首页|主页|开始|开头|最开始}",
      "{重新开始|从头开始|从新开始|重新来过|从头来过}",
    ],
  ],
  [
    { name: "help" },
    [
      "help {me|} {out|}",
      "{what|what else} {can|could} {you|i} do",
      "how does this work",
      "how {do|does} {this|it} work",
      "how {do|can} i use {this|it|you}",
      "what do i do {now|next|}",
      "{i'm|im|i am} {lost|stuck|confused}",
      "aide",
      "{à|a} l'aide",
      "aidez-moi",
      "aide-moi",
      "m'aider",
      "{besoin|j'ai besoin} {d'aide|de l'aide|d'un coup de main}",
      "{qu'est-ce que|que} {tu sais|vous savez|tu peux|vous pouvez} faire",
      "que {sais-tu|savez-vous|peux-tu|pouvez-vous} faire",
      "comment {ça|ca|cela} {marche|fonctionne|s'utilise}",
      "comment {on fait|faire|utiliser}",
      "je suis {perdu|perdue}",
      "帮助",
      "帮帮我",
      "帮忙",
      "求助",
      "{你|您}{能|可以|会}做什么",
      "{这个|}{怎么|如何}{用|使用|操作|弄}",
      "{我|}{不会|不知道怎么}{用|操作|弄}",
    ],
  ],
  [
    { name: "human" },
    [
      "talk {to|with} {a|an|} {person|human|human being|real person|real human|actual person|someone|agent|staff|member staff|manager}",
      "talk {to|with} {the|} {staff|owner|manager|salon}",
      "{a|an|} {human|real person|real human|actual person|human being|agent}",
      "call me {back|}",
      "{give|} me a {call|ring} {back|}",
      `{can|could|will|would|have|get|ask|} ${EN_SOMEONE} call me {back|}`,
      "parler {à|a|avec} {quelqu'un|un humain|une personne|une vraie personne|un vrai humain|un être humain|un conseiller|une conseillère|le responsable|le gérant}",
      "{un|une|} {humain|vraie personne|vrai humain|véritable humain|être humain|conseiller|conseillère}",
      "appelez-moi",
      "m'appeler",
      `${FR_SOMEONE} {peut|pourrait|peut-il|pourrait-il|} m'appeler`,
      "人工",
      "{转|找|接}人工{客服|服务|}",
      "人工客服",
      `{转|找|联系}${ZH_SOMEONE}`,
      "真人",
      "客服",
      `{和|跟|同}${ZH_SOMEONE}说话`,
      `{让|叫|}{${ZH_SOMEONE}|有人|你们|店里}{联系|打给}我{吗|}`,
      `{让|叫|}{${ZH_SOMEONE}|有人|你们|店里|}{打|回}{个|}电话{吗|}`,
      "{联系|打给}我{吗|}",
    ],
  ],
];

/**
 * Reasons for not coming, said before or after a cancel ("I can't make it,
 * cancel my booking", "我不去了，帮我把预约取消"): read past with a cancel,
 * never alone.
 */
const REASONS: readonly string[] = [
  `{sorry|unfortunately|} {i|} {can't|cannot|can not|won't|wont|will not|cant} {make it|come|come in|be there|make the appointment} {${WHEN}|} {after all|anymore|any more|}`,
  `{sorry|unfortunately|} {something came up|i'm ill|i'm sick|i am ill|i am sick}`,
  `{désolé|désolée|malheureusement|} je {ne|} {peux|pourrai|pourrais|vais} {pas|plus} {venir|y aller} {${WHEN}|} {finalement|}`,
  `{désolé|désolée|malheureusement|} je {ne|} serai {pas|plus} là {${WHEN}|} {finalement|}`,
  `{désolé|désolée|malheureusement|} {pas|plus} venir {${WHEN}|}`,
  "{désolé|désolée|malheureusement|} {j'ai|} un empêchement",
  `{不好意思|抱歉|对不起|}{我|}{${WHEN}|}{去不了|来不了|去不成|来不成}{了|}{了|}`,
  `{不好意思|抱歉|对不起|}{我|}{${WHEN}|}不{去|来}了`,
  "{不好意思|抱歉|对不起|}{我|}{临时|突然|}有事{了|}",
];

/**
 * Words read past around an intent: the lexicon's fillers and polite
 * requests ("can I", "could you"), "to" ("I want to cancel"), and the ways of
 * saying one must ("je dois", "I have to", "我需要"). Definite articles are
 * kept: "la carte" is the menu, but "carte" alone may answer a question about
 * paying by card.
 */
const KEPT_ARTICLES: ReadonlySet<string> = new Set(["the", "le", "la", "les", "l'"]);
const IGNORED: readonly string[] = [
  ...FILLERS.filter((f) => !KEPT_ARTICLES.has(f)),
  ...REQUESTS,
  "to", "i have to", "i've got to", "i must", "est-ce que", "est-ce qu'", "je dois", "il faut que je", "j'ai besoin de", "j'ai besoin d'",
  "我需要", "需要", "我得", "一下",
  ",", ";", "，", "；", "、",
];

/** The ignored words, found by longest match as a sentence is read. */
const IGNORED_TRIE = ((): PhraseTrie<true> => {
  const trie = new PhraseTrie<true>();
  for (const phrase of IGNORED) trie.add(phrase, true);
  return trie;
})();

/**
 * The words a `<when>` is made of. A day, a date or a number holds it
 * ("friday", "15", "明天", "15号"); the words around one ("on the", "for",
 * "n°", "th") join it but are no day alone, so "cancel the booking" keeps its
 * "the".
 */
const WHEN_DAYS: readonly string[] = [
  "today", "tomorrow", "tonight", "day after tomorrow", "week", "weekend", "next week", "this week",
  "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
  // Not "mon": it is the French "my".
  "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
  "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
  "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
  "aujourd'hui", "demain", "après-demain", "apres demain", "semaine", "week-end",
  "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
  "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre",
  "今天", "明天", "后天", "大后天", "今晚", "周末", "下周", "这周", "本周", "下个星期", "这个星期",
  ...["一", "二", "三", "四", "五", "六", "日", "天"].flatMap((d) => [`周${d}`, `星期${d}`, `礼拜${d}`, `下周${d}`, `这周${d}`, `本周${d}`]),
  ...Object.values(PARTS_OF_DAY).flat(),
  ...Object.values(PARTS_OF_TODAY).flat(),
  // A number, and a number in Chinese numerals with what it counts: "十五号", "三点".
  "0",
  ...NUMBER_WORDS.filter((w) => /^\p{Script=Han}+$/u.test(w.phrase)).flatMap((w) => ["号", "日", "月", "点", "点半"].map((unit) => w.phrase + unit)),
];
const WHEN_JOINERS: readonly string[] = [
  "on", "for", "at", "in", "the", "this", "next", "coming", "number", "no", "num", "n", "th", "st", "nd", "rd", "am", "pm", "h", "o'clock", "oclock",
  "le", "la", "ce", "cette", "pour", "à", "prochain", "prochaine", "numéro", "er", "heure", "heures",
  "号", "日", "月", "点", "半", "分", "第",
];

/** The `<when>` words, each marked whether it holds a day or number or only joins one. */
const WHEN_TRIE = ((): PhraseTrie<boolean> => {
  const trie = new PhraseTrie<boolean>();
  // As typed, fillers and all: read past, a filler ("morning" is a greeting) would leave "this" a day.
  for (const phrase of WHEN_JOINERS) trie.addKeys(keysOf(tokenize(phrase)), false);
  for (const phrase of WHEN_DAYS) trie.addKeys(keysOf(tokenize(phrase)), true);
  // A phrase's own slot: the words joining it in the phrase join it as they do in a sentence ("là <when>" reads as "là demain").
  trie.addKeys([WHEN], true);
  return trie;
})();

/** A token's compared key; every number is one key, so "#1", "n°12" and "15号" read alike. */
function keysOf(tokens: readonly Token[]): string[] {
  return tokens.map((t) => (t.kind === "number" ? "0" : t.key));
}

/** The keys of `keys` that are not ignored words. */
function meaningfulKeys(keys: readonly string[]): string[] {
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
  return kept;
}

/** Each longest run of `<when>` words holding a day or a number, made one `<when>`: "cancel my booking for friday" → "cancel my booking <when>". */
function collapseWhen(keys: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < keys.length; ) {
    let end = i;
    let holdsDay = false;
    for (let match = WHEN_TRIE.matchesAt(keys, end)[0]; match; match = WHEN_TRIE.matchesAt(keys, end)[0]) {
      end += match.length;
      holdsDay ||= match.values.includes(true);
    }
    if (holdsDay) {
      out.push(WHEN);
      i = end;
    } else {
      out.push(keys[i] ?? "");
      i += 1;
    }
  }
  return out;
}

/** Each longest match of a booking word made one `<service>`: "cancel my beard trim" → "cancel my <service>". */
function collapseServices(keys: readonly string[], words: PhraseTrie<true>): string[] {
  const out: string[] = [];
  for (let i = 0; i < keys.length; ) {
    const longest = words.matchesAt(keys, i)[0];
    out.push(longest ? SERVICE : (keys[i] ?? ""));
    i += longest ? longest.length : 1;
  }
  return out;
}

/** Each synonym, by its keys, and the keys of the word it is read as. */
const SYNONYM_TRIE = ((): PhraseTrie<readonly string[]> => {
  const trie = new PhraseTrie<readonly string[]>();
  for (const [word, ...synonyms] of SYNONYMS) {
    const canonical = meaningfulKeys(keysOf(tokenize(word ?? "")));
    for (const synonym of synonyms) trie.addKeys(meaningfulKeys(keysOf(tokenize(synonym))), canonical);
  }
  return trie;
})();

/** Each synonym, by longest match, made the word it is read as: "call off our appointment" → "cancel my booking". */
function canonical(keys: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < keys.length; ) {
    const longest = SYNONYM_TRIE.matchesAt(keys, i)[0];
    if (longest) {
      out.push(...(longest.values[0] ?? []));
      i += longest.length;
    } else {
      out.push(keys[i] ?? "");
      i += 1;
    }
  }
  return out;
}

/** The form a sentence's meaningful keys are compared in: synonyms read as one word, then days and numbers as `<when>`. */
function formOf(keys: readonly string[]): string[] {
  return collapseWhen(canonical(keys));
}

/** The keys of a piece of a pattern, cut once: the same words recur in many phrases. */
const pieceKeys = new Map<string, readonly string[]>();

function keysOfPiece(piece: string): readonly string[] {
  let keys = pieceKeys.get(piece);
  if (!keys) {
    keys = piece.split(/(<when>|<service>)/).flatMap((part) => (part === WHEN || part === SERVICE ? [part] : keysOf(tokenize(part))));
    pieceKeys.set(piece, keys);
  }
  return keys;
}

/**
 * A phrase's compared form, from the pieces of its pattern: its words as a
 * sentence's are read, its slots as they are, and a "?" when it asks only so.
 * Pieces are cut apart, so no word of a pattern may run into a choice ("re{start|set}").
 */
function phraseForm(pieces: readonly string[]): string {
  const form = formOf(meaningfulKeys(pieces.flatMap(keysOfPiece)));
  return (QUESTION_MARK_AT_END.test(pieces.join("")) ? [...form, ASKED] : form).join(" ");
}

/** Every phrase a `{a|b|}` pattern stands for, once each; choices may hold choices ("{booking|<service> {booking|}}"). */
export function expandPattern(pattern: string): string[] {
  return [...new Set(expandChoices(pattern).map((pieces) => pieces.join("").replace(/\s+/g, " ").trim()))];
}

/** The phrases of a pattern as the pieces they are written in: its first choice's each word, before each phrase of the rest. */
function expandChoices(pattern: string): (readonly string[])[] {
  const open = pattern.indexOf("{");
  if (open === -1) return [pattern === "" ? [] : [pattern]];
  const bars: number[] = [];
  let close = -1;
  for (let i = open, depth = 0; i < pattern.length && close === -1; i++) {
    const c = pattern[i];
    if (c === "{") depth += 1;
    else if (c === "}" && --depth === 0) close = i;
    else if (c === "|" && depth === 1) bars.push(i);
  }
  if (close === -1) throw new Error(`flows/understand/intents.ts: "${pattern}" opens a choice it does not close`);
  const cuts = [open, ...bars, close];
  const words = cuts.slice(1).flatMap((end, i) => expandChoices(pattern.slice((cuts[i] ?? open) + 1, end)));
  const before = pattern.slice(0, open);
  const rest = expandChoices(pattern.slice(close + 1));
  return words.flatMap((word) => rest.map((after) => (before === "" ? [...word, ...after] : [before, ...word, ...after])));
}

/** Each phrase's compared form, and the intent it says. */
const INTENTS = ((): ReadonlyMap<string, Intent> => {
  const byForm = new Map<string, Intent>();
  for (const [intent, patterns] of PHRASES) {
    for (const pieces of patterns.flatMap(expandChoices)) {
      const form = phraseForm(pieces);
      const known = byForm.get(form);
      // Two intents read alike would make the table's order decide: a phrase table with that mistake fails on load, in every test.
      if (known && (known.name !== intent.name || known.about !== intent.about)) {
        throw new Error(`flows/understand/intents.ts: "${pieces.join("")}" reads as "${form}", which is already ${known.name}${known.about ? ` (${known.about})` : ""}`);
      }
      if (form !== "") byForm.set(form, intent);
    }
  }
  return byForm;
})();

/** The compared forms of the reasons for not coming. */
const REASON_FORMS: ReadonlySet<string> = new Set(REASONS.flatMap(expandChoices).map(phraseForm));

/** The booking words of each word list, as a trie of their compared keys; built once per list. */
const bookingTries = new WeakMap<readonly string[], PhraseTrie<true>>();

function bookingTrieOf(words: readonly string[]): PhraseTrie<true> {
  const known = bookingTries.get(words);
  if (known) return known;
  const trie = new PhraseTrie<true>();
  for (const word of words) trie.addKeys(meaningfulKeys(keysOf(tokenize(word))), true);
  bookingTries.set(words, trie);
  return trie;
}

const calendarWords = new WeakMap<BookingCalendar, readonly string[]>();

/**
 * The words a customer may name a booking by: every name and alias of the
 * calendar's services, in every locale. The same list for the same calendar,
 * so readIntent builds its phrases once.
 */
export function bookingWords(calendar: BookingCalendar): readonly string[] {
  const known = calendarWords.get(calendar);
  if (known) return known;
  const words = calendar.services.flatMap((s) => [s.name, ...Object.values(s.names ?? {}), ...Object.values(s.aliases ?? {}).flat()]);
  calendarWords.set(calendar, words);
  return words;
}

/** The intent `keys` say whole (asked with a question mark or not), or with a reason for not coming before or after a cancel. */
function intentOf(keys: readonly string[], asked: boolean): Intent | undefined {
  const whole = (asked ? INTENTS.get([...keys, ASKED].join(" ")) : undefined) ?? INTENTS.get(keys.join(" "));
  if (whole) return whole;
  for (let cut = 1; cut < keys.length; cut++) {
    const head = keys.slice(0, cut).join(" ");
    const tail = keys.slice(cut).join(" ");
    const intent = REASON_FORMS.has(head) ? INTENTS.get(tail) : REASON_FORMS.has(tail) ? INTENTS.get(head) : undefined;
    if (intent?.name === "cancel") return intent;
  }
  return undefined;
}

/**
 * The intent a whole sentence says, in any language Kiosk speaks: "cancel my
 * booking", "où en est ma commande", "转人工". Fillers and politeness are read
 * past; anything else left over ("cancel the croissants", "help me choose a
 * latte") means the sentence is about something more, and no intent is read.
 * With the bot's booking words, a cancel or a question about bookings may
 * name a service ("cancel my haircut tomorrow", "c'est quand ma coupe ?").
 *
 * @example
 * readIntent("I'd like to cancel my appointment please") // { name: "cancel", about: "booking" }
 * readIntent("cancel my colour on the 15th", { bookingWords: bookingWords(calendar) }) // { name: "cancel", about: "booking" }
 * readIntent("cancel the croissants") // undefined
 */
export function readIntent(text: string, options: ReadIntentOptions = {}): Intent | undefined {
  const keys = meaningfulKeys(keysOf(tokenize(text)));
  if (keys.length === 0) return undefined;
  const asked = QUESTION_MARK_AT_END.test(text);
  const plain = intentOf(formOf(keys), asked);
  if (plain || !options.bookingWords?.length) return plain;
  return intentOf(formOf(collapseServices(keys, bookingTrieOf(options.bookingWords))), asked);
}
