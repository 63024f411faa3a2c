import { parseArgs } from "node:util";
import type { Booking } from "../commerce/index.ts";
import { openSqliteStore } from "../store/index.ts";

/** A booking as scripts read it: instants in ISO UTC, money in minor units. */
export function bookingJson(booking: Booking) {
  return {
    id: booking.id,
    bot: booking.botId,
    channel: booking.channel,
    customer: booking.userId,
    service: booking.serviceId,
    resource: booking.resourceId,
    start: booking.start.toISOString(),
    end: booking.end.toISOString(),
    status: booking.status,
    price: booking.price,
    deposit: booking.deposit,
    depositPaid: booking.depositPaid,
    depositRefunded: booking.depositRefunded,
    currency: booking.currency,
    createdAt: booking.createdAt.toISOString(),
    updatedAt: booking.updatedAt.toISOString(),
  };
}

/** `kiosk bookings [--db FILE] [--json]`: every booking in the file, oldest first. */
export async function bookingsCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { db: { type: "string" }, json: { type: "boolean" } } });
  const store = openSqliteStore({ file: values.db ?? "data/kiosk.db" });
  try {
    const list = (await store.listBookings({})).map(bookingJson);
    if (values.json) process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    else if (list.length === 0) process.stdout.write("no bookings\n");
    else {
      for (const b of list) {
        process.stdout.write(`#${b.id}\t${b.status}\t${b.start} → ${b.end}\t${b.service} with ${b.resource}\t${b.channel}:${b.customer}\tdeposit ${b.depositPaid}/${b.deposit} ${b.currency}\n`);
      }
    }
  } finally {
    await store.close();
  }
  return 0;
}
