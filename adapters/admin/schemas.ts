import { z } from "zod";
import { BOOKING_STATUSES, FULFILMENT_STATUSES, ORDER_STATUSES } from "../../commerce/index.ts";

/**
 * The admin API's request schemas: each route's params, query and body are
 * validated with these, and the OpenAPI document (openapi.ts) is generated
 * from the same ones, so the document cannot drift from what is enforced.
 */

const botId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: "a bot id is 1–64 letters, digits, _ or -" }).describe("The bot's id, as in its bot.yaml");
const instant = z.iso.datetime({ offset: true, error: "is not an ISO 8601 instant such as 2027-03-01T00:00:00Z" });

export const REFUND_STATUSES = ["pending", "refunded", "manual", "failed"] as const;

export const botParams = z.strictObject({ bot: botId });
export const orderParams = z.strictObject({ bot: botId, id: z.string().regex(/^[1-9]\d{0,15}$/, { error: "an order id is a positive whole number" }).describe("The order's id") });
export const productParams = z.strictObject({ bot: botId, id: z.string().min(1).max(64).describe("The product's id, as in the catalog") });

export const noQuery = z.strictObject({});

export const ordersQuery = z.strictObject({
  status: z.enum(ORDER_STATUSES).optional().describe("Only orders in this status"),
  channel: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, { error: "is not a channel name such as telegram" }).optional().describe("Only orders placed on this channel (telegram, messenger, whatsapp, botframework, emulator)"),
  from: instant.optional().describe("Only orders placed at or after this instant (ISO 8601)"),
  to: instant.optional().describe("Only orders placed before this instant (ISO 8601)"),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe("At most this many orders, newest first (1–200, default 50)"),
});

export const bookingsQuery = z.strictObject({
  day: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "is not a day; write YYYY-MM-DD" })
    .optional()
    .describe("Only bookings overlapping this day (YYYY-MM-DD) in the calendar's time zone"),
  resource: z.string().min(1).max(64).optional().describe("Only bookings of this resource (a person, a room)"),
  status: z.enum(BOOKING_STATUSES).optional().describe("Only bookings in this status"),
});

export const refundsQuery = z.strictObject({
  status: z.enum(REFUND_STATUSES).optional().describe("Only refunds in this status; manual: the business refunds by hand"),
});

export const changesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50).describe("At most this many changes, newest first (1–200, default 50)"),
});

export const productPatch = z
  .strictObject({
    stock: z.number().int().min(0).max(1_000_000).describe("Units left from now on; orders placed before keep what they reserved"),
  })
  .describe("What to change of a product");
export const PRODUCT_PATCH_HINT = 'the body is {"stock": units left, a whole number ≥ 0}; changing price or availability is not supported yet';

export const bookingParams = z.strictObject({ bot: botId, id: z.string().regex(/^[1-9]\d{0,15}$/, { error: "a booking id is a positive whole number" }).describe("The booking's id") });

export const orderStatusBody = z
  .strictObject({ to: z.enum(FULFILMENT_STATUSES).describe("preparing, ready, collected (picked up) or delivered (goods that ship)") })
  .describe("Where a paid order moves; steps may be skipped, never undone");
export const ORDER_STATUS_HINT = 'the body is {"to": "preparing" | "ready" | "collected" | "delivered"}';

export const cancelBody = z
  .strictObject({ reason: z.string().trim().min(1).max(200).optional().describe("Why, kept with the change (the customer is not shown it)") })
  .describe("A cancellation by the shop: the whole payment or deposit goes back");
export const CANCEL_HINT = 'the body is {} or {"reason": "up to 200 characters"}';

export const noBody = z.strictObject({}).describe("No fields");
export const NO_BODY_HINT = "the body is {}";
