/**
 * The words of bookings Kiosk knows without a calendar, in English, French
 * and Chinese: "anyone" for any stylist, parts of the day, and the words
 * around a booking that say nothing of which one ("book", "appointment",
 * "rendez-vous", "预约"). Written as typed; cut into tokens as sentences are.
 */

/** Any resource will do: "whoever is free", "peu importe", "随便". */
export const ANYONE: readonly string[] = [
  "any", "anyone", "anybody", "any one", "whoever", "whoever is free", "whoever's free", "whoever is available", "whoevers free",
  "anyone is fine", "anyone's fine", "anyone will do", "any stylist", "any hairdresser", "any barber", "anyone free", "anyone available",
  "no preference", "i don't mind", "i dont mind", "don't mind", "dont mind", "doesn't matter", "doesnt matter", "it doesn't matter", "don't care", "dont care",
  "first available", "the first available", "whoever is first", "either", "either one", "either is fine", "both fine", "any of them", "whoever has time",
  "peu importe", "n'importe qui", "n'importe lequel", "n'importe laquelle", "qui vous voulez", "qui tu veux", "pas de préférence", "aucune préférence",
  "indifférent", "ça m'est égal", "ca m'est egal", "le premier disponible", "la première disponible", "quelqu'un de libre", "qui est libre", "celui qui est libre", "tout le monde",
  "le premier dispo", "la première dispo", "premier dispo", "le premier coiffeur dispo", "le premier coiffeur disponible", "n'importe quel coiffeur", "n'importe quelle coiffeuse", "n'importe quel", "n'importe quelle",
  "随便", "都可以", "谁都可以", "谁都行", "都行", "无所谓", "任何人", "不限", "随便谁", "谁有空", "哪位都行", "哪位都可以", "不挑",
  "不指定", "随便哪个", "随便哪位", "哪个都行", "哪个都可以", "哪个师傅都行", "哪个师傅都可以", "随便哪个师傅", "随便哪个理发师", "不指定理发师", "不指定师傅",
];

/**
 * "Anyone" words that say "whatever" of what was just named: "上午都行"
 * ("any time in the morning"), "tomorrow, any": after a day, time or part
 * of the day they name no one.
 */
export const WEAK_ANYONE: readonly string[] = ["都行", "都可以", "随便", "any", "whatever", "peu importe", "n'importe"];

/** Parts of the day, each a range of local time: what a salon offers in it. */
export type PartOfDay = "morning" | "afternoon" | "evening";

export const PARTS_OF_DAY: Readonly<Record<PartOfDay, readonly string[]>> = {
  morning: ["morning", "in the morning", "mornings", "matin", "le matin", "matinée", "en matinée", "dans la matinée", "上午", "早上", "早晨"],
  afternoon: [
    "afternoon", "in the afternoon", "afternoons", "after lunch", "après-midi", "l'après-midi", "aprem", "aprèm", "dans l'après-midi", "en début d'après-midi",
    "après le déjeuner", "après manger", "下午", "午后", "午饭后", "午饭以后", "吃完午饭",
  ],
  evening: ["evening", "in the evening", "after work", "soir", "le soir", "en soirée", "soirée", "après le travail", "après le boulot", "晚上", "傍晚", "下班后", "下班以后"],
};

/** Parts of today: "this afternoon", "ce soir", "今早" name the day too. */
export const PARTS_OF_TODAY: Readonly<Record<PartOfDay, readonly string[]>> = {
  morning: ["this morning", "ce matin", "今早", "今天上午", "今天早上"],
  afternoon: ["this afternoon", "cet après-midi", "cette après-midi", "cet aprem", "cet aprèm", "今天下午"],
  evening: ["this evening", "tonight", "ce soir", "今晚", "今天晚上"],
};

/** Parts of tomorrow written as one word: "明早", "明晚". */
export const PARTS_OF_TOMORROW: Readonly<Record<PartOfDay, readonly string[]>> = {
  morning: ["明早", "明天一早"],
  afternoon: [],
  evening: ["明晚"],
};

/** Where each part of the day begins and ends, in minutes after local midnight. */
export const PART_RANGES: Readonly<Record<PartOfDay, { readonly from: number; readonly to: number }>> = {
  morning: { from: 0, to: 12 * 60 },
  afternoon: { from: 12 * 60, to: 18 * 60 },
  evening: { from: 17 * 60, to: 24 * 60 },
};

/**
 * Words around a booking: read past. Day and time words are not here:
 * "at", "on", "le", "à" stay in the sentence, where chrono needs them ("at 10").
 */
export const BOOKING_FILLERS: readonly string[] = [
  "a", "an", "book", "booking", "to book", "book in", "book me", "book me in", "a booking", "appointment", "an appointment", "appointments", "appt", "an appt",
  "slot", "a slot", "time slot", "session", "a session", "make", "get", "have", "me", "my", "i", "we", "us", "for", "in", "with", "by", "from", "do", "done",
  "is", "be", "that", "if", "possible", "if possible", "free", "available", "works", "would", "great", "fine", "good", "perfect", "like", "want", "need", "to",
  "come", "come in", "pop in", "drop by", "stylist", "hairdresser", "barber", "someone", "time", "maybe", "perhaps", "preferably", "ideally", "around", "about",
  "i'd like to", "i would like to", "i want to", "i'd love to", "could you", "can you", "please book", "can i book", "could i book", "i'd like to book",
  "réserver", "je voudrais réserver", "prendre", "prendre rendez-vous", "rendez-vous", "un rendez-vous", "rdv", "un rdv", "pour", "une", "un", "avec", "chez",
  "me", "m'", "moi", "je", "possible", "si possible", "dispo", "disponible", "libre", "créneau", "un créneau", "venir", "passer", "coiffeur", "coiffeuse",
  "plutôt", "de préférence", "vers", "environ", "faire", "bien", "parfait", "ça", "ca", "me va", "serait", "ce serait", "est-ce possible",
  "bonne soirée", "bonne journée", "bonne nuit", "good night", "have a nice day", "晚上好", "早上好", "下午好",
  "any chance", "any chance of", "is it possible", "would it be possible", "work", "would work", "does that work", "ça irait", "ca irait", "c'est possible", "c'est libre", "est-ce possible", "ça marche",
  "什么时候都行", "什么时候都可以", "哪天都行", "还能", "能", "吗", "有位置", "有空吗", "左右", "钟", "过来", "来",
  "or", "ou", "或", "或者", "还是",
  "ma", "mon", "mes", "notre", "our", "est-ce que", "est-ce que je peux", "je peux", "peux", "peut", "pourrais", "pouvez", "pourriez", "can", "could",
  "there", "sometime", "some time", "whenever", "asap", "if poss", "n'importe quand", "quand vous voulez", "au plus vite", "随时", "尽快",
  "let's", "lets", "let's do", "let's say", "say", "i meant", "i mean", "je voulais dire", "plutôt", "说错了", "是", "我是说",
  "same as last time", "like last time", "as usual", "comme la dernière fois", "comme d'habitude", "跟上次一样", "和上次一样", "老样子",
  "预约", "约", "预定", "订", "帮我约", "我想约", "想约", "一下", "个", "的", "时间", "在", "找", "让", "给", "去", "过来", "做", "次", "一次", "理发师", "师傅", "老师", "有空", "可以", "行", "好",
];

/**
 * Words that say the booking is in the past ("my last cut", "la dernière
 * fois", "上次"): a sentence with them tells of a visit, it books none.
 */
export const PAST: readonly string[] = [
  "last", "last time", "last week", "ago", "yesterday", "had", "was", "were",
  "dernière", "dernier", "la dernière fois", "la semaine dernière", "hier", "avais", "avait", "était",
  "上次", "上周", "上个月", "昨天", "以前", "之前", "前",
];
