import { createHmac, randomBytes } from "node:crypto";
import { and, asc, eq, gte, inArray, lt } from "drizzle-orm";
import type { OrderShipping } from "../../commerce/index.ts";
import type { ConversationAddress } from "../ports/conversations.ts";
import type { CustomerErasure, CustomerRecord } from "../ports/customers.ts";
import type { Db } from "./queries.ts";
import { toRefund } from "./rows.ts";
import * as schema from "./schema.ts";

/**
 * One customer's data across every table: what `kiosk customers export`
 * shows and `kiosk customers erase` removes. Each function runs inside the
 * transaction its caller opened (see SqliteStore), so an erase and a turn
 * never interleave.
 *
 * Table by table:
 * - conversations: the flow state and its slots (phone, name, address,
 *   location, free text): exported; erased by deleting the row. A turn that
 *   loaded it before then fails its compare-and-swap and starts afresh.
 * - orders, bookings, refunds: kept for the books under a pseudonym; an
 *   order's shipping keeps its option, price and country only.
 * - order/booking transitions, payments, checkout sessions: no customer
 *   column and nothing personal; exported through the customer's orders and
 *   bookings, kept.
 * - outbox (message texts) and platform_messages (their delivery statuses):
 *   exported; erased by deleting every row, unsent ones included: nothing
 *   more is sent to an erased customer.
 * - timers: their data holds ids only; re-pointed to the pseudonym so an
 *   unpaid order still expires and gives its stock back. What they would
 *   send is recorded as not delivered (the pseudonym is marked unreachable).
 * - seen_events: platform update ids. A WhatsApp message id (wamid) holds
 *   the sender's number, base64-encoded: their keys are exported and
 *   erased. Their payment reports' keys (`payment:<provider>:<reference>`)
 *   hold nothing personal: exported and kept, so a redelivered payment is
 *   still recognised. Other keys cannot be tied to anyone; retention drops them.
 * - botframework_references, customer_activity, unreachable_customers:
 *   exported; erased by deleting the row.
 * - stock, flow_versions, store_settings: nothing about customers.
 */

/** Bot Framework references are kept per bot and user, for the one channel that has them (adapters/botframework). */
const BOTFRAMEWORK_CHANNEL = "botframework";
const SALT = "erasure_salt";
/** Why messages to an erased customer are not sent (as the outbox records it). */
export const ERASED_REASON = "the customer's personal data was erased";
/** What an erased customer's id is replaced with: `erased:` and 32 hex digits. */
export const PSEUDONYM_PREFIX = "erased:";

/**
 * The idempotency keys of a WhatsApp customer's messages: `whatsapp:<bot>:wamid.<base64>`, where the
 * base64 holds their number (e.g. "HBgLNjAxNzM1MjYyMzMV…" decodes to "\x1c\x18\x0b60173526233\x15…").
 * Read by key range: only this bot's WhatsApp keys, which retention keeps to about a week.
 */
function whatsappMessageKeys(db: Db, address: ConversationAddress): string[] {
  if (address.channel !== "whatsapp" || !/^\d+$/.test(address.userId)) return [];
  const s = schema.seenEvents;
  const prefix = `whatsapp:${address.botId}:`;
  // ';' is the character after ':': the range is every key that starts with the prefix.
  const keys = db.select({ key: s.key }).from(s).where(and(gte(s.key, prefix), lt(s.key, `whatsapp:${address.botId};`))).all();
  return keys
    .map((k) => k.key)
    .filter((key) => {
      const wamid = /^wamid\.([A-Za-z0-9+/=_-]+)$/.exec(key.slice(prefix.length))?.[1];
      return wamid !== undefined && Buffer.from(wamid, "base64").toString("latin1").includes(address.userId);
    });
}

function byAddress<T extends { botId: unknown; channel: unknown; userId: unknown }>(table: T, address: ConversationAddress) {
  const t = table as unknown as typeof schema.orders;
  return and(eq(t.botId, address.botId), eq(t.channel, address.channel), eq(t.userId, address.userId));
}

/** Everything held about one customer, read in one snapshot. */
export function customerRecord(db: Db, address: ConversationAddress): CustomerRecord {
  const conversation = db.select().from(schema.conversations).where(byAddress(schema.conversations, address)).get();
  const orders = db.select().from(schema.orders).where(byAddress(schema.orders, address)).orderBy(asc(schema.orders.id)).all();
  const orderIds = orders.map((o) => o.id);
  const transitions = orderIds.length === 0 ? [] : db.select().from(schema.orderTransitions).where(inArray(schema.orderTransitions.orderId, orderIds)).orderBy(asc(schema.orderTransitions.id)).all();
  const payments = orderIds.length === 0 ? [] : db.select().from(schema.payments).where(inArray(schema.payments.orderId, orderIds)).orderBy(asc(schema.payments.id)).all();
  const sessions = orderIds.length === 0 ? [] : db.select().from(schema.checkoutSessions).where(inArray(schema.checkoutSessions.orderId, orderIds)).all();
  const bookings = db.select().from(schema.bookings).where(byAddress(schema.bookings, address)).orderBy(asc(schema.bookings.id)).all();
  const bookingIds = bookings.map((b) => b.id);
  const bookingTransitions =
    bookingIds.length === 0 ? [] : db.select().from(schema.bookingTransitions).where(inArray(schema.bookingTransitions.bookingId, bookingIds)).orderBy(asc(schema.bookingTransitions.id)).all();
  const refunds = db.select().from(schema.refunds).where(byAddress(schema.refunds, address)).orderBy(asc(schema.refunds.id)).all();
  const outbox = db.select().from(schema.outbox).where(byAddress(schema.outbox, address)).orderBy(asc(schema.outbox.id)).all();
  const outboxIds = outbox.map((m) => m.id);
  const deliveries = outboxIds.length === 0 ? [] : db.select().from(schema.platformMessages).where(inArray(schema.platformMessages.outboxId, outboxIds)).all();
  const timers = db.select().from(schema.timers).where(byAddress(schema.timers, address)).orderBy(asc(schema.timers.fireAt), asc(schema.timers.id)).all();
  const keys = [...payments.map((p) => `payment:${p.provider}:${p.reference}`), ...whatsappMessageKeys(db, address)];
  const seen = keys.length === 0 ? [] : db.select().from(schema.seenEvents).where(inArray(schema.seenEvents.key, keys)).orderBy(asc(schema.seenEvents.at), asc(schema.seenEvents.key)).all();
  const reference =
    address.channel === BOTFRAMEWORK_CHANNEL
      ? db
          .select()
          .from(schema.botframeworkReferences)
          .where(and(eq(schema.botframeworkReferences.botId, address.botId), eq(schema.botframeworkReferences.userId, address.userId)))
          .get()
      : undefined;
  const activity = db.select().from(schema.customerActivity).where(byAddress(schema.customerActivity, address)).get();
  const reach = db.select().from(schema.unreachableCustomers).where(byAddress(schema.unreachableCustomers, address)).get();
  const v = schema.stepVisits;
  const stepVisits = db
    .select({ flowId: v.flowId, stepId: v.stepId, day: v.day, firstAt: v.firstAt, lastAt: v.lastAt })
    .from(v)
    .where(byAddress(v, address))
    .orderBy(asc(v.day), asc(v.firstAt), asc(v.flowId), asc(v.stepId))
    .all();

  return {
    address,
    conversation: conversation && {
      flowId: conversation.flowId,
      flowVersion: conversation.flowVersion,
      stepId: conversation.stepId,
      locale: conversation.locale,
      state: conversation.data,
      version: conversation.version,
      updatedAt: conversation.updatedAt,
    },
    orders: orders.map((o) => {
      const session = sessions.find((s) => s.orderId === o.id);
      return {
        id: String(o.id),
        status: o.status,
        items: o.items,
        total: o.total,
        currency: o.currency,
        shipping: o.shipping,
        createdAt: o.createdAt,
        updatedAt: o.updatedAt,
        history: transitions.filter((t) => t.orderId === o.id).map((t) => ({ from: t.fromStatus, to: t.toStatus, cause: t.cause, at: t.at })),
        payments: payments
          .filter((p) => p.orderId === o.id)
          .map((p) => ({ provider: p.provider, reference: p.reference, providerReference: p.providerReference, outcome: p.outcome, amount: p.amount, currency: p.currency, at: p.at })),
        checkoutSession: session && { provider: session.provider, sessionId: session.sessionId, url: session.url, createdAt: session.createdAt, closedAt: session.closedAt, closeNote: session.closeNote },
      };
    }),
    bookings: bookings.map((b) => ({
      id: String(b.id),
      serviceId: b.serviceId,
      resourceId: b.resourceId,
      start: b.start,
      end: b.end,
      status: b.status,
      price: b.price,
      deposit: b.deposit,
      depositPaid: b.depositPaid,
      depositRefunded: b.depositRefunded,
      currency: b.currency,
      orderId: b.orderId === null ? null : String(b.orderId),
      freeCancelUntil: b.freeCancelUntil,
      createdAt: b.createdAt,
      updatedAt: b.updatedAt,
      history: bookingTransitions.filter((t) => t.bookingId === b.id).map((t) => ({ from: t.fromStatus, to: t.toStatus, cause: t.cause, at: t.at })),
    })),
    refunds: refunds.map((r) => {
      // Without the address: the record states it once, at its top.
      const { botId, channel, userId, ...refund } = toRefund(r);
      return refund;
    }),
    outbox: outbox.map((m) => ({
      id: m.id,
      message: m.message,
      createdAt: m.createdAt,
      sentAt: m.sentAt,
      attempts: m.attempts,
      nextAttemptAt: m.nextAttemptAt,
      lastError: m.lastError,
      deliveries: deliveries.filter((d) => d.outboxId === m.id).map((d) => ({ platformId: d.platformId, status: d.status, error: d.error, updatedAt: d.updatedAt })),
    })),
    timers: timers.map((t) => ({ key: t.key, name: t.name, data: t.data, fireAt: t.fireAt })),
    seenEvents: seen.map((s) => ({ key: s.key, at: s.at })),
    botFrameworkReference: reference && { reference: reference.reference, updatedAt: reference.updatedAt },
    lastInboundAt: activity?.lastInboundAt,
    reachability: reach && { unreachableReason: reach.reason, since: reach.since, changedAt: reach.changedAt },
    stepVisits,
  };
}

/** The store's erasure salt, made (random, 32 bytes) the first time it is needed. */
function salt(db: Db): string {
  db.insert(schema.storeSettings).values({ name: SALT, value: randomBytes(32).toString("hex") }).onConflictDoNothing().run();
  const row = db.select().from(schema.storeSettings).where(eq(schema.storeSettings.name, SALT)).get();
  if (!row) throw new Error("the store's erasure salt could not be kept");
  return row.value;
}

/**
 * The pseudonym of a customer: the same for the same channel and id in one
 * store (their rows still group), unguessable without the store's salt
 * (a WhatsApp id is a phone number: an unsalted hash could be reversed by
 * trying every number), and 128 bits long, so two customers never share one.
 */
export function pseudonym(db: Db, address: ConversationAddress): string {
  const mac = createHmac("sha256", salt(db)).update(`${address.channel}:${address.userId}`).digest("hex");
  return `${PSEUDONYM_PREFIX}${mac.slice(0, 32)}`;
}

/** A shipping kept for the books: option, price and country; no name, street, city or post code. */
function bookShipping(shipping: unknown): OrderShipping | null {
  if (typeof shipping !== "object" || shipping === null) return null;
  const s = shipping as Partial<OrderShipping>;
  return {
    optionId: s.optionId ?? "",
    label: s.label ?? "",
    amount: s.amount ?? 0,
    address: { countryCode: s.address?.countryCode ?? "", state: "", city: "", streetLine1: "", streetLine2: "", postCode: "" },
  };
}

function personalShipping(shipping: unknown): boolean {
  if (typeof shipping !== "object" || shipping === null) return false;
  const s = shipping as Partial<OrderShipping>;
  const a = s.address;
  return s.name !== undefined || (a !== undefined && [a.state, a.city, a.streetLine1, a.streetLine2, a.postCode].some((v) => v !== ""));
}

/**
 * Removes a customer's personal data from every table (see the top of this
 * file) and pseudonymises what the books keep. Idempotent: a second run
 * finds nothing left under their id and changes nothing. Returns how many
 * rows of each table changed.
 */
/** The shop's events name the customer in their order or booking (`customer`, with its `channel`): those become the pseudonym. */
function pseudonymiseEvents(db: Db, address: ConversationAddress, alias: string): number {
  const e = schema.merchantEvents;
  let changed = 0;
  for (const row of db.select({ id: e.id, data: e.data }).from(e).where(eq(e.botId, address.botId)).all()) {
    const data = JSON.parse(row.data) as Record<string, unknown>;
    let mine = false;
    for (const key of ["order", "booking"]) {
      const about = data[key] as { channel?: unknown; customer?: unknown } | undefined;
      if (about && about.channel === address.channel && about.customer === address.userId) {
        about.customer = alias;
        mine = true;
      }
    }
    if (!mine) continue;
    db.update(e).set({ data: JSON.stringify(data) }).where(eq(e.id, row.id)).run();
    changed += 1;
  }
  return changed;
}

export function eraseCustomer(db: Db, address: ConversationAddress, at: Date): CustomerErasure {
  const alias = pseudonym(db, address);
  const counts: Record<keyof CustomerErasure, number> = {
    conversations: 0,
    seenEvents: 0,
    orders: 0,
    shippingAddresses: 0,
    bookings: 0,
    refunds: 0,
    outbox: 0,
    platformMessages: 0,
    timers: 0,
    botframeworkReferences: 0,
    customerActivity: 0,
    unreachableCustomers: 0,
    merchantEvents: 0,
    stepVisits: 0,
  };

  counts.conversations = db.delete(schema.conversations).where(byAddress(schema.conversations, address)).run().changes;
  const messageKeys = whatsappMessageKeys(db, address);
  counts.seenEvents = messageKeys.length === 0 ? 0 : db.delete(schema.seenEvents).where(inArray(schema.seenEvents.key, messageKeys)).run().changes;

  const o = schema.orders;
  for (const order of db.select({ id: o.id, shipping: o.shipping }).from(o).where(byAddress(o, address)).all()) {
    if (personalShipping(order.shipping)) counts.shippingAddresses += 1;
    db.update(o).set({ userId: alias, shipping: bookShipping(order.shipping) }).where(eq(o.id, order.id)).run();
    counts.orders += 1;
  }
  counts.bookings = db.update(schema.bookings).set({ userId: alias }).where(byAddress(schema.bookings, address)).run().changes;
  counts.refunds = db.update(schema.refunds).set({ userId: alias }).where(byAddress(schema.refunds, address)).run().changes;

  const m = schema.outbox;
  const mine = db.select({ id: m.id }).from(m).where(byAddress(m, address));
  counts.platformMessages = db.delete(schema.platformMessages).where(inArray(schema.platformMessages.outboxId, mine)).run().changes;
  counts.outbox = db.delete(m).where(byAddress(m, address)).run().changes;

  // The funnel keeps counting them, under the pseudonym.
  counts.stepVisits = db.update(schema.stepVisits).set({ userId: alias }).where(byAddress(schema.stepVisits, address)).run().changes;
  counts.timers = db.update(schema.timers).set({ userId: alias }).where(byAddress(schema.timers, address)).run().changes;

  if (address.channel === BOTFRAMEWORK_CHANNEL) {
    const r = schema.botframeworkReferences;
    counts.botframeworkReferences = db.delete(r).where(and(eq(r.botId, address.botId), eq(r.userId, address.userId))).run().changes;
  }
  counts.customerActivity = db.delete(schema.customerActivity).where(byAddress(schema.customerActivity, address)).run().changes;
  counts.unreachableCustomers = db.delete(schema.unreachableCustomers).where(byAddress(schema.unreachableCustomers, address)).run().changes;
  counts.merchantEvents = pseudonymiseEvents(db, address, alias);

  // What the kept timers send to the pseudonym is recorded as not delivered, never sent to a platform.
  if (counts.orders + counts.bookings + counts.refunds + counts.timers > 0) {
    db.insert(schema.unreachableCustomers)
      .values({ botId: address.botId, channel: address.channel, userId: alias, reason: ERASED_REASON, since: at, changedAt: at })
      .onConflictDoNothing()
      .run();
  }
  return counts;
}

