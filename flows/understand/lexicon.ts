/**
 * The words Kiosk knows without a catalog, in English, French and Chinese:
 * greetings and politeness, the ways of saying "I want", articles, number
 * words, size words, the words that join items. Every language is read
 * whatever the customer's locale: people mix them ("un latte please").
 * Phrases are written as typed; they are cut into tokens as sentences are,
 * so case, accents and full-width forms need no second spelling.
 */

/** Greetings, politeness, "I want", articles and the like: read and ignored. */
export const FILLERS: readonly string[] = [
  // English
  "hi", "hello", "hey", "hiya", "good morning", "good afternoon", "good evening", "morning",
  "please", "pls", "plz", "thanks", "thank you", "thx", "cheers", "ok", "okay", "yes", "yeah", "sure",
  "can i get", "can i have", "could i get", "could i have", "may i have", "may i get",
  "can we get", "can we have", "could we get", "could we have", "can you give me", "could you give me",
  "i want", "i would like", "i'd like", "id like", "i'd love", "i'll have", "ill have", "i'll take", "i'll get",
  "i need", "i'm having", "we want", "we would like", "we'd like", "we'll have",
  "give me", "get me", "let me have", "let me get", "for me",
  "the", "some", "of", "with", "just", "only", "also", "too", "as well", "then",
  // French
  "bonjour", "bonsoir", "salut", "coucou", "allo",
  "s'il vous plaît", "sil vous plait", "s'il te plaît", "svp", "stp",
  "merci", "merci beaucoup", "oui", "d'accord",
  "je voudrais", "je veux", "j'aimerais", "je prendrai", "je prendrais", "je vais prendre",
  "nous voudrions", "on voudrait", "on veut", "donnez-moi", "donne-moi", "pour moi",
  "est-ce que je peux avoir", "est-ce que je pourrais avoir", "je peux avoir", "je pourrais avoir", "puis-je avoir", "il me faudrait",
  "le", "la", "les", "l'", "du", "de", "d'", "des", "de la", "de l'", "avec", "aussi", "juste",
  // Chinese
  "你好", "您好", "嗨", "哈喽", "早上好", "下午好", "晚上好",
  "请", "请给我", "给我", "麻烦", "麻烦你", "帮我", "谢谢", "谢谢你", "谢了", "好的",
  "我要", "我想要", "我想", "我们要", "要", "来", "我点", "点",
  "的", "吧", "呢", "啊", "呀", "加", "就", "只",
];

/** Words that join items: "two lattes and a croissant". */
export const SEPARATORS: readonly string[] = [
  "and", "but", "plus", "as well as", "&", "+", ",", ";",
  "et", "mais", "puis", "ainsi que",
  "和", "跟", "与", "以及", "还有", "另外", "再来", "再要", "、",
];

/**
 * Words that correct what was said before ("no, 3", "actually large"):
 * read past when answering one question, reported as not understood in a
 * whole order, where the caller decides what they change.
 */
export const CORRECTIONS: readonly string[] = [
  "no", "nope", "actually", "sorry", "instead", "rather", "make it", "make that", "change it to",
  "non", "en fait", "plutôt", "finalement", "pardon", "désolé",
  "不", "不是", "改成", "换成",
];

/** Words that refuse what follows: never read past, so "not large" is not "large". */
export const NEGATIONS: readonly string[] = [
  "not", "without", "don't", "dont", "no more",
  "pas", "sans", "pas de", "ne",
  "不要", "没有", "别", "不加",
];

/** Words that take something out of the cart: "remove the croissants", "enlève les croissants", "删除牛角面包". */
export const REMOVALS: readonly string[] = [
  "remove", "delete", "take off", "take out", "drop", "cancel",
  "enlève", "enlever", "enlevez", "retire", "retirer", "retirez", "supprime", "supprimer", "supprimez", "annule", "annulez",
  "删除", "删掉", "去掉", "拿掉", "取消",
];

/**
 * Words that edit what is in the cart: the removals, and "change the latte
 * to large", "remplace", "换". In a whole order they refuse what follows as
 * a negation does, so a removal is never taken for an order of the very
 * thing removed. At "Anything else?" the removals among them take the
 * product out of the cart (see readCorrection).
 */
export const EDITS: readonly string[] = [
  ...REMOVALS,
  "change", "swap", "replace",
  "changer", "changez", "remplace", "remplacer",
  "换掉", "换",
];

/** Words that, right before a product, take it out of the cart as a removal verb does: "no croissants after all", "不要牛角面包了". */
export const REFUSALS: readonly string[] = ["no", "non", "no more", "不要"];

/** Words that end a correction and say nothing more: "no croissants after all", "retire le latte de ma commande". */
export const CORRECTION_ENDINGS: readonly string[] = [
  "after all", "from my order", "from the order", "from my cart", "from the cart", "from it", "please",
  "de ma commande", "de mon panier", "du panier", "de la commande", "finalement",
  "了", "吧",
];

/** Measure words: "两杯", "一个", "a cup of", "deux tasses de". After a number they belong to it; alone they are ignored. */
export const MEASURE_WORDS: readonly string[] = [
  "cup", "cups", "cup of", "cups of", "glass of", "glasses of", "piece", "pieces", "piece of", "pieces of",
  "tasse", "tasses", "tasse de", "tasses de", "verre de", "verres de", "part de", "parts de", "pièce", "pièces",
  "个", "杯", "份", "块", "张", "瓶", "盒", "袋", "只", "片", "碗", "位",
];

/**
 * Units of weight, volume and money: a number beside one ("€10", "10 €",
 * "250g", "10 欧元") says what a thing is, not how many of it.
 */
export const UNITS: readonly string[] = [
  "€", "$", "£", "¥", "euro", "euros", "eur", "dollar", "dollars",
  "g", "gr", "gram", "grams", "gramme", "grammes", "kg", "kilo", "kilos", "ml", "cl",
  "欧元", "元", "美元", "克", "公斤", "千克", "毫升",
];

/** Words that join the parts of a name, each side of which alone names something else: "pain au chocolat", "café en grains". */
export const LINK_WORDS: readonly string[] = ["au", "aux", "à", "en", "de", "du", "des", "with", "of", "avec"];

/**
 * Words that ask rather than order: "how much is a latte?", "vous avez des
 * croissants ?", "拿铁多少钱". Whatever else the sentence says, it is a question.
 */
export const QUESTION_WORDS: readonly string[] = [
  "how much", "how many", "do you have", "do you sell", "have you got", "is there", "are there",
  "combien", "qu'est-ce", "avez-vous", "vous avez", "y a-t-il", "il y a",
  "多少", "什么", "哪", "哪些", "哪里", "几", "有没有", "是不是", "怎么", "为什么",
];

/** Words that ask only in a sentence ending with "?": "what's in a cappuccino?", but "what I'd like is a latte". */
export const WH_WORDS: readonly string[] = ["what", "whats", "which", "where", "when", "why", "quoi", "quel", "quelle", "quels", "quelles", "pourquoi", "quand"];

/**
 * The marks of a yes/no question: first word "is", "does"…, "est-ce que",
 * "吗" at the end, or a "?" after words that are not an order. A request
 * ("can I get", "je peux avoir", "可以…吗") is asked too, but is an order.
 */
export const QUESTION_OPENERS: readonly string[] = ["is", "are", "does", "do", "did", "est-ce que", "est-ce qu'il"];
export const QUESTION_PARTICLES: readonly string[] = ["吗"];
export const REQUESTS: readonly string[] = [
  "can i", "could i", "may i", "can we", "could we", "may we", "can you", "could you", "would you", "will you",
  "je peux", "je pourrais", "puis-je", "pourrais-je", "vous pouvez", "pouvez-vous", "pourriez-vous", "vous pourriez", "tu peux", "peux-tu",
  "vous me mettez", "mettez-moi",
  "可以", "能", "能不能", "能否", "可不可以",
];

/** Words that say, around a number answering "how many?", what it counts: "two of them", "j'en veux 4", "disons 3". */
export const QUANTITY_WORDS: readonly string[] = [
  "of them", "of those", "of these", "them", "those", "these", "is enough", "will do", "let's say", "lets say", "say",
  "j'en veux", "j'en prends", "j'en voudrais", "j'en prendrai", "mettez-en", "mets-en", "donnez-m'en", "il m'en faut", "il en faut", "disons", "seul", "seule", "seulement",
  "只要",
];

/**
 * Words that pick a size in a group of sizes, but do not make a choice look
 * like one: "regular" is the middle size of a size group, and a "Regular"
 * milk is no size.
 */
export const SIZE_SYNONYMS: Readonly<Record<Size, readonly string[]>> = {
  small: [],
  medium: ["regular", "normal", "normale"],
  large: [],
};

/** "x2", "2x", "2 ×": a number so marked is a quantity. */
export const TIMES: readonly string[] = ["x", "×"];

/** Number words; `article` marks the ones that are also "a" ("a croissant", "une"). */
export interface NumberWord {
  readonly phrase: string;
  readonly value: number;
  readonly article: boolean;
}

const ENGLISH = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];
const FRENCH = ["un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze"];
const CHINESE_DIGITS = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/** 1 to 99 in Chinese numerals: 一, 十二, 二十, 九十九. */
function chineseNumbers(): NumberWord[] {
  const words: NumberWord[] = [];
  for (let value = 1; value < 100; value++) {
    const tens = Math.floor(value / 10);
    const units = CHINESE_DIGITS[value % 10] ?? "";
    const phrase = tens === 0 ? units : `${tens === 1 ? "" : (CHINESE_DIGITS[tens] ?? "")}十${units}`;
    words.push({ phrase, value, article: false });
  }
  return words;
}

export const NUMBER_WORDS: readonly NumberWord[] = [
  ...ENGLISH.map((phrase, i) => ({ phrase, value: i + 1, article: false })),
  ...FRENCH.map((phrase, i) => ({ phrase, value: i + 1, article: i === 0 })),
  { phrase: "a", value: 1, article: true },
  { phrase: "an", value: 1, article: true },
  { phrase: "une", value: 1, article: true },
  { phrase: "a couple", value: 2, article: false },
  { phrase: "a couple of", value: 2, article: false },
  { phrase: "a dozen", value: 12, article: false },
  { phrase: "une douzaine de", value: 12, article: false },
  { phrase: "une douzaine", value: 12, article: false },
  ...chineseNumbers(),
  { phrase: "一打", value: 12, article: false },
  { phrase: "半打", value: 6, article: false },
  { phrase: "两", value: 2, article: false },
  { phrase: "俩", value: 2, article: false },
];

/** The three sizes a choice may look like. */
export type Size = "small" | "medium" | "large";

/**
 * Words for each size, and what a choice's id or label looks like when it is
 * that size: a group with choices of two sizes or more is a size group, and
 * "large", "grand", "大杯" pick its large choice whatever its label says.
 */
export const SIZE_WORDS: Readonly<Record<Size, readonly string[]>> = {
  small: ["s", "small", "smallest", "petit", "petite", "小", "小杯", "小份", "小号"],
  medium: ["m", "medium", "moyen", "moyenne", "中", "中杯", "中份", "中号"],
  large: ["l", "large", "largest", "big", "biggest", "grand", "grande", "大", "大杯", "大份", "大号"],
};
