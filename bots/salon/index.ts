import { defineBot, loadFlowDir } from "../../flows/index.ts";
import { calendar } from "./calendar.ts";

/**
 * Salon Lila: book a haircut, colour or beard trim with Ana or Ben (or
 * whoever is free), pay a 20 % deposit in chat, get reminders 24 h and 2 h
 * before, cancel (free up to 24 h before) or reschedule from "my bookings"
 * or a reminder — in English, French and Chinese. Customers may also type it all in
 * one sentence ("a haircut with Ana tomorrow at 10", "明天上午十点剪发"). The flow is YAML (flows/*.yaml);
 * services, staff and hours are calendar.ts.
 */
const flows = await loadFlowDir(new URL("flows", import.meta.url));

export default defineBot({
  id: "salon",
  name: "Salon Lila",
  // British English: days before months, 24-hour times, as a Paris salon writes them.
  locale: "en-GB",
  locales: ["en-GB", "fr", "zh-CN"],
  timeZone: "Europe/Paris",
  calendar,
  bookingPolicy: { holdMinutes: 10, freeCancelHours: 24, reminders: ["PT24H", "PT2H"] },
  flows,
  textsByLocale: {
    "en-GB": { help: "You can type: menu (start again), my bookings (your appointments), cancel, language (change language), help (this message)." },
    fr: { help: "Vous pouvez écrire : menu (recommencer), mes rendez-vous (vos rendez-vous), annuler, langue (changer de langue), aide (ce message)." },
    "zh-CN": { help: "您可以输入：菜单（重新开始）、我的预约（查看预约）、取消、语言（切换语言）、帮助（本消息）。" },
  },
});
