/**
 * Shared steps for the salon tests: Salon Lila on a clock that starts on
 * Monday 22 March 2027, 09:00 in Paris (08:00Z, winter time; summer time
 * starts on Sunday the 28th).
 */
import type { EmulatedCustomer, Emulator } from "../adapters/emulator/emulator.ts";
import type { OutboundMessage } from "../core/index.ts";
import salon from "../bots/salon/index.ts";
import type { Booking } from "../commerce/index.ts";
import type { Harness } from "./helpers.ts";

export const SALON_T0 = new Date("2027-03-22T08:00:00.000Z");

export function openSalon(harness: Harness, clock: Date = SALON_T0): Promise<Emulator> {
  return harness.open({ bot: salon, clock });
}

export interface BookingChoice {
  readonly service?: string;
  readonly stylist?: string;
  /** Typed: "friday", "26/03", "vendredi". */
  readonly day: string;
  /** Typed: "10:30", "14h". */
  readonly time: string;
}

/** Goes from the welcome question to the summary of the booking; returns the summary turn. */
export async function chooseSlot(customer: EmulatedCustomer, choice: BookingChoice): Promise<OutboundMessage[]> {
  await customer.send("/start");
  await customer.press("book");
  await customer.press(`service:${choice.service ?? "haircut"}`);
  await customer.press(`resource:${choice.stylist ?? "any"}`);
  await customer.send(choice.day);
  return customer.send(choice.time);
}

/** Books and pays the deposit; returns the payment turn. */
export async function bookAndPay(customer: EmulatedCustomer, choice: BookingChoice): Promise<OutboundMessage[]> {
  await chooseSlot(customer, choice);
  await customer.send("yes");
  return customer.pay("succeed");
}

export async function bookingsOf(emulator: Emulator): Promise<Booking[]> {
  return emulator.store.listBookings({ botId: emulator.bot.id });
}

export async function onlyBooking(emulator: Emulator): Promise<Booking> {
  const [booking, ...more] = await bookingsOf(emulator);
  if (!booking || more.length > 0) throw new Error(`expected exactly one booking, found ${more.length + (booking ? 1 : 0)}`);
  return booking;
}
