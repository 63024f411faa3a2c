import type { BookingCalendar, OpeningInterval } from "../../commerce/index.ts";

const weekday: readonly OpeningInterval[] = [{ from: "09:00", to: "18:00" }];
const saturday: readonly OpeningInterval[] = [{ from: "09:00", to: "14:00" }];

/**
 * Salon Lila's services, staff and hours, in Paris time. Prices in euro
 * cents; each service takes a 20 % deposit to confirm a booking.
 */
export const calendar: BookingCalendar = {
  timeZone: "Europe/Paris",
  currency: "EUR",
  granularityMinutes: 15,
  services: [
    { id: "haircut", name: "Haircut", names: { fr: "Coupe" }, durationMinutes: 30, price: 2500, depositPercent: 20 },
    { id: "colour", name: "Colour", names: { fr: "Couleur" }, durationMinutes: 90, price: 6000, depositPercent: 20 },
    { id: "beard", name: "Beard trim", names: { fr: "Taille de barbe" }, durationMinutes: 15, price: 1200, depositPercent: 20 },
  ],
  resources: [
    { id: "ana", name: "Ana", weeklyHours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: saturday } },
    { id: "ben", name: "Ben", weeklyHours: { tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: saturday } },
  ],
};
