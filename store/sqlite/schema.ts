import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** Idempotency keys of accepted events (channel + platform update id). */
export const seenEvents = sqliteTable("seen_events", {
  key: text("key").primaryKey(),
  at: integer("at", { mode: "timestamp_ms" }).notNull(),
});

export const conversations = sqliteTable(
  "conversations",
  {
    botId: text("bot_id").notNull(),
    channel: text("channel").notNull(),
    userId: text("user_id").notNull(),
    flowId: text("flow_id").notNull(),
    flowVersion: text("flow_version").notNull(),
    stepId: text("step_id"),
    locale: text("locale").notNull(),
    data: text("data", { mode: "json" }).notNull(),
    version: integer("version").notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.botId, t.channel, t.userId] })],
);

/** Units on hand per product; the catalog itself lives in the bot's definition. */
export const stock = sqliteTable(
  "stock",
  {
    botId: text("bot_id").notNull(),
    productId: text("product_id").notNull(),
    units: integer("units").notNull(),
  },
  (t) => [primaryKey({ columns: [t.botId, t.productId] })],
);

export const orders = sqliteTable(
  "orders",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    botId: text("bot_id").notNull(),
    channel: text("channel").notNull(),
    userId: text("user_id").notNull(),
    status: text("status").notNull(),
    items: text("items", { mode: "json" }).notNull(),
    total: integer("total").notNull(),
    currency: text("currency").notNull(),
    /** Where and how a paid order of goods that ship goes (see commerce OrderShipping); its amount is in `total`. */
    shipping: text("shipping", { mode: "json" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("orders_customer").on(t.botId, t.channel, t.userId), index("orders_status").on(t.status)],
);

/** Every order status change with its cause: the audit trail. */
export const orderTransitions = sqliteTable(
  "order_transitions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    orderId: integer("order_id")
      .notNull()
      .references(() => orders.id),
    fromStatus: text("from_status").notNull(),
    toStatus: text("to_status").notNull(),
    cause: text("cause").notNull(),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("order_transitions_order").on(t.orderId)],
);

export const payments = sqliteTable(
  "payments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    provider: text("provider").notNull(),
    reference: text("reference").notNull(),
    orderId: integer("order_id").notNull(),
    outcome: text("outcome").notNull(),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    /** The underlying processor's id when the provider is an intermediary (Telegram's provider_payment_charge_id). */
    providerReference: text("provider_reference"),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("payments_provider_reference").on(t.provider, t.reference)],
);

/**
 * Money owed back to a customer for one payment: a refunded order's, or a
 * payment that arrived after its order closed. Written in the turn that
 * decides it; a refund runner then asks the provider, or records that the
 * business must refund by hand (`manual`).
 */
export const refunds = sqliteTable(
  "refunds",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    botId: text("bot_id").notNull(),
    channel: text("channel").notNull(),
    userId: text("user_id").notNull(),
    orderId: integer("order_id").notNull(),
    provider: text("provider").notNull(),
    paymentReference: text("payment_reference").notNull(),
    providerReference: text("provider_reference"),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    reason: text("reason").notNull(),
    status: text("status").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }),
    lastError: text("last_error"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("refunds_payment").on(t.provider, t.paymentReference), index("refunds_status").on(t.status), index("refunds_order").on(t.orderId)],
);

export const outbox = sqliteTable(
  "outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    botId: text("bot_id").notNull(),
    channel: text("channel").notNull(),
    userId: text("user_id").notNull(),
    message: text("message", { mode: "json" }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }),
    lastError: text("last_error"),
    /** Platform calls of this message already made, when it takes several (see adapters/call-progress.ts). */
    callsDone: integer("calls_done").notNull().default(0),
  },
  // No index beyond the rowid: the store scans forward from its lowest unsent id.
);

export const timers = sqliteTable(
  "timers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    key: text("key").notNull(),
    botId: text("bot_id").notNull(),
    channel: text("channel").notNull(),
    userId: text("user_id").notNull(),
    name: text("name").notNull(),
    data: text("data", { mode: "json" }).notNull(),
    fireAt: integer("fire_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("timers_key").on(t.key), index("timers_fire_at").on(t.fireAt)],
);

/** Every version of a flow a conversation may still be in, as IR JSON. */
export const flowVersions = sqliteTable(
  "flow_versions",
  {
    botId: text("bot_id").notNull(),
    flowId: text("flow_id").notNull(),
    versionKey: text("version_key").notNull(),
    flow: text("flow", { mode: "json" }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.botId, t.flowId, t.versionKey] })],
);

/**
 * Holds and bookings of a bot's resources. Overlap checks look up one
 * resource's bookings by start, hence the (bot, resource, start) index.
 */
export const bookings = sqliteTable(
  "bookings",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    botId: text("bot_id").notNull(),
    channel: text("channel").notNull(),
    userId: text("user_id").notNull(),
    serviceId: text("service_id").notNull(),
    resourceId: text("resource_id").notNull(),
    start: integer("start", { mode: "timestamp_ms" }).notNull(),
    end: integer("end", { mode: "timestamp_ms" }).notNull(),
    status: text("status").notNull(),
    price: integer("price").notNull(),
    deposit: integer("deposit").notNull(),
    depositPaid: integer("deposit_paid").notNull().default(0),
    depositRefunded: integer("deposit_refunded").notNull().default(0),
    currency: text("currency").notNull(),
    /** The order that pays the deposit, once placed. */
    orderId: integer("order_id"),
    /** Until when a cancellation refunds the deposit; null: never. */
    freeCancelUntil: integer("free_cancel_until", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("bookings_resource_start").on(t.botId, t.resourceId, t.start),
    index("bookings_customer").on(t.botId, t.channel, t.userId),
    index("bookings_order").on(t.orderId),
  ],
);

/** Every booking status change with its cause: the audit trail. */
export const bookingTransitions = sqliteTable(
  "booking_transitions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    bookingId: integer("booking_id")
      .notNull()
      .references(() => bookings.id),
    fromStatus: text("from_status").notNull(),
    toStatus: text("to_status").notNull(),
    cause: text("cause").notNull(),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("booking_transitions_booking").on(t.bookingId)],
);

/**
 * The hosted checkout session of an order (one per order): asking for the
 * payment link again returns the same session instead of creating another.
 */
export const checkoutSessions = sqliteTable(
  "checkout_sessions",
  {
    orderId: integer("order_id")
      .primaryKey()
      .references(() => orders.id),
    provider: text("provider").notNull(),
    sessionId: text("session_id").notNull(),
    url: text("url").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    /**
     * When Kiosk was done with the session after its order stopped awaiting
     * payment: expired at the provider (the order expired or was cancelled),
     * or nothing to do (paid). Null while the order awaits payment or the
     * expiry is still to be made (retried until it is).
     */
    closedAt: integer("closed_at", { mode: "timestamp_ms" }),
    /** What closing it did: "expired", or why no call was made or it was refused. */
    closeNote: text("close_note"),
  },
  (t) => [index("checkout_sessions_open").on(t.orderId).where(sql`${t.closedAt} IS NULL`)],
);

/**
 * Where a Bot Framework customer is reached: the conversation reference
 * (service URL, conversation, bot and user accounts) of their latest
 * activity, as JSON. Replies and proactive messages are sent with it.
 */
export const botframeworkReferences = sqliteTable(
  "botframework_references",
  {
    botId: text("bot_id").notNull(),
    userId: text("user_id").notNull(),
    reference: text("reference", { mode: "json" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.botId, t.userId] })],
);

/**
 * When each customer last wrote: Messenger and WhatsApp allow free-form
 * messages only within 24 hours of it (see adapters/graph/window.ts).
 */
export const customerActivity = sqliteTable(
  "customer_activity",
  {
    botId: text("bot_id").notNull(),
    channel: text("channel").notNull(),
    userId: text("user_id").notNull(),
    lastInboundAt: integer("last_inbound_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.botId, t.channel, t.userId] })],
);

/**
 * A platform's id of a sent outbox message (WhatsApp's wamid) and the last
 * delivery status the platform reported for it, with its error when it failed.
 */
export const platformMessages = sqliteTable(
  "platform_messages",
  {
    channel: text("channel").notNull(),
    platformId: text("platform_id").notNull(),
    outboxId: integer("outbox_id")
      .notNull()
      .references(() => outbox.id),
    status: text("status").notNull(),
    error: text("error"),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.platformId] }), index("platform_messages_outbox").on(t.outboxId)],
);

/**
 * Whether a channel can reach a customer (a Telegram customer who blocked
 * the bot cannot): while `reason` is set their messages are recorded as not
 * delivered instead of being sent. `changed_at` is the platform's time of the
 * last change applied, so an older report arriving late changes nothing.
 */
export const unreachableCustomers = sqliteTable(
  "unreachable_customers",
  {
    botId: text("bot_id").notNull(),
    channel: text("channel").notNull(),
    userId: text("user_id").notNull(),
    reason: text("reason"),
    since: integer("since", { mode: "timestamp_ms" }).notNull(),
    changedAt: integer("changed_at", { mode: "timestamp_ms" }).notNull().default(sql`0`),
  },
  (t) => [primaryKey({ columns: [t.botId, t.channel, t.userId] })],
);

/**
 * Values the store keeps about itself, by name: `erasure_salt`, the random
 * key that turns an erased customer's id into their pseudonym (see
 * store/sqlite/customers.ts; made once per store file, never shown), and
 * `emulator_clock_offset_ms`, the emulator clock's lead over real time, kept
 * so a restart resumes the emulator's time where its fast-forwards left it.
 */
export const storeSettings = sqliteTable("store_settings", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
});

/** What the shop hears about (store/ports/events.ts). No AUTOINCREMENT: ids only need to increase while rows are kept. */
export const merchantEvents = sqliteTable(
  "merchant_events",
  {
    id: integer("id").primaryKey(),
    botId: text("bot_id").notNull(),
    type: text("type").notNull(),
    data: text("data").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("merchant_events_bot").on(t.botId, t.id)],
);

/**
 * Keys of the admin HTTP API, one bot and one scope each. Only the key's
 * SHA-256 hash is kept (see store/api-keys.ts); a key is found by its hash.
 * A revoked key stays, with when it was revoked, so the changes it made keep
 * naming it.
 */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    botId: text("bot_id").notNull(),
    /** `read` or `write` (write includes read). */
    scope: text("scope").notNull(),
    hash: text("hash").notNull(),
    label: text("label"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
  },
  (t) => [uniqueIndex("api_keys_hash").on(t.hash), index("api_keys_bot").on(t.botId)],
);

/**
 * Every change made through the admin API, with the key that made it: what
 * changed (`stock`), of what (`croissant`), from and to which value (JSON).
 */
export const adminChanges = sqliteTable(
  "admin_changes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    botId: text("bot_id").notNull(),
    keyId: integer("key_id")
      .notNull()
      .references(() => apiKeys.id),
    subject: text("subject").notNull(),
    target: text("target").notNull(),
    before: text("before", { mode: "json" }),
    after: text("after", { mode: "json" }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("admin_changes_bot").on(t.botId, t.at)],
);

/**
 * Each merchant event's delivery to its bot's webhook (store/ports/webhooks.ts):
 * one row per event, made when the deliverer first sees the event.
 * `last_error` holds what went wrong (status code, timeout), never the body or the secret.
 */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    eventId: integer("event_id").primaryKey(),
    botId: text("bot_id").notNull(),
    status: text("status").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }).notNull(),
    lastError: text("last_error"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    deliveredAt: integer("delivered_at", { mode: "timestamp_ms" }),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("webhook_deliveries_due").on(t.status, t.nextAttemptAt), index("webhook_deliveries_bot").on(t.botId, t.eventId)],
);

/**
 * Which steps each conversation entered, once per step per UTC day: what the
 * funnel (`kiosk stats`) counts as reaching a step. Written in the turn that
 * entered the step; a step entered again that day only moves `last_at`.
 */
export const stepVisits = sqliteTable(
  "step_visits",
  {
    botId: text("bot_id").notNull(),
    channel: text("channel").notNull(),
    userId: text("user_id").notNull(),
    flowId: text("flow_id").notNull(),
    stepId: text("step_id").notNull(),
    /** The UTC day of the visit, YYYY-MM-DD. */
    day: text("day").notNull(),
    firstAt: integer("first_at", { mode: "timestamp_ms" }).notNull(),
    /** The last time that day the conversation entered the step: where it stopped is the step it entered last. */
    lastAt: integer("last_at", { mode: "timestamp_ms" }).notNull(),
    /**
     * The conversation's version that turn saved, and the step's place among
     * the steps it entered (0 first): which step came last when turns share
     * a time (a clock that did not move) or one turn entered several.
     */
    lastTurn: integer("last_turn").notNull(),
    lastEntry: integer("last_entry").notNull(),
  },
  (t) => [primaryKey({ columns: [t.botId, t.channel, t.userId, t.flowId, t.stepId, t.day] }), index("step_visits_bot_day").on(t.botId, t.day)],
);
