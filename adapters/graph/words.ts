/**
 * The few words Messenger and WhatsApp add around a message (the pay button,
 * WhatsApp's list button and product-list header), in the languages Kiosk's
 * own texts have: English, French, Chinese. Any other locale gets English.
 */
export interface ChannelWords {
  /** The hosted checkout button, e.g. "Pay €3.60". */
  pay(total: string): string;
  /** The button that opens a WhatsApp list. */
  readonly choose: string;
  /** A product list's header when the message has no text. */
  readonly menu: string;
}

const WORDS: Readonly<Record<string, ChannelWords>> = {
  en: { pay: (total) => `Pay ${total}`, choose: "Choose", menu: "Menu" },
  fr: { pay: (total) => `Payer ${total}`, choose: "Choisir", menu: "Carte" },
  zh: { pay: (total) => `支付 ${total}`, choose: "选择", menu: "菜单" },
};

const ENGLISH: ChannelWords = { pay: (total) => `Pay ${total}`, choose: "Choose", menu: "Menu" };

/** The words for a locale such as "fr-FR" or "zh-CN" (by its language); English for undefined or any other. */
export function channelWords(locale: string | undefined): ChannelWords {
  const language = locale?.split(/[-_]/)[0]?.toLowerCase() ?? "en";
  return WORDS[language] ?? ENGLISH;
}
