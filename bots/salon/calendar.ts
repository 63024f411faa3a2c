import type { BookingCalendar, OpeningInterval } from "../../commerce/index.ts";

const weekday: readonly OpeningInterval[] = [{ from: "09:00", to: "18:00" }];
const saturday: readonly OpeningInterval[] = [{ from: "09:00", to: "14:00" }];

/**
 * Salon Lila's services, staff and hours, in Paris time. Prices in euro
 * cents; each service takes a 20 % deposit to confirm a booking. Aliases are
 * the other words customers type for a service ("cut", "理发").
 */
export const calendar: BookingCalendar = {
  timeZone: "Europe/Paris",
  currency: "EUR",
  granularityMinutes: 15,
  services: [
    {
      id: "haircut",
      name: "Haircut",
      names: { fr: "Coupe", "zh-CN": "剪发" },
      aliases: { en: ["cut", "hair cut", "hair-cut", "trim my hair", "trim for my hair"], fr: ["coupe de cheveux", "couper les cheveux"], "zh-CN": ["理发", "剪头发", "剪头", "剪个头", "剪短", "剪短一点", "修剪头发"] },
      durationMinutes: 30,
      price: 2500,
      depositPercent: 20,
    },
    {
      id: "colour",
      name: "Colour",
      names: { fr: "Couleur", "zh-CN": "染发" },
      aliases: {
        en: ["color", "hair colour", "hair color", "colouring", "coloring", "dye", "dye my hair", "tint", "roots", "my roots done", "hair coloured", "hair colored"],
        fr: ["coloration", "teinture", "teindre", "me teindre les cheveux", "racines", "faire mes racines"],
        "zh-CN": ["染头发", "染色", "染个头发", "染一下头发", "染个颜色", "染个发", "染一下", "染"],
      },
      durationMinutes: 90,
      price: 6000,
      depositPercent: 20,
    },
    {
      id: "beard",
      name: "Beard trim",
      names: { fr: "Taille de barbe", "zh-CN": "修胡子" },
      aliases: { fr: ["barbe", "tailler la barbe"], "zh-CN": ["胡子", "修胡须", "修剪胡须", "刮胡子"] },
      durationMinutes: 15,
      price: 1200,
      depositPercent: 20,
    },
  ],
  resources: [
    { id: "ana", name: "Ana", aliases: { "zh-CN": ["安娜"] }, weeklyHours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: saturday } },
    { id: "ben", name: "Ben", weeklyHours: { tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: saturday } },
  ],
};
