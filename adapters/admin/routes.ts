import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { randomUUID } from "node:crypto";
import { DateTime } from "luxon";
import type { z } from "zod";
import type { Clock } from "../../core/index.ts";
import { runShopAction, type LoadedBot, type MerchantAction, type TurnHandler } from "../../flows/index.ts";
import { versionKey } from "../../flows/versions.ts";
import type { ApiKeyScope, Store } from "../../store/index.ts";
import { HttpError } from "../errors.ts";
import { parseInput } from "../http-input.ts";
import { adminAuth, keyOf } from "./auth.ts";
import { bookingJson, changeJson, orderJson, refundJson, transitionJson } from "./json.ts";
import * as s from "./schemas.ts";

/** What the admin routes read and change. */
export interface AdminApiOptions {
  readonly store: Store;
  /** The bots this server runs (read on each request, so a reload shows). */
  readonly bots: () => readonly LoadedBot[];
  /** The time changes are recorded at. */
  readonly clock: Clock;
  /** Runs a shop's action as a turn of the customer's conversation (the server's runtime): the customer is told. */
  readonly turns: TurnHandler;
}

/** One admin route: how it is called and documented. Handlers get validated input. */
export interface AdminRoute {
  readonly method: "GET" | "PATCH" | "POST";
  /** Under the API's prefix, Fastify's syntax (`/bots/:bot/orders`). */
  readonly path: string;
  readonly scope: ApiKeyScope;
  readonly summary: string;
  readonly params: z.ZodObject;
  readonly query: z.ZodObject;
  readonly body?: z.ZodType;
  readonly bodyHint?: string;
}

interface Input {
  readonly params: Record<string, unknown>;
  readonly query: Record<string, unknown>;
  readonly body: unknown;
  readonly request: FastifyRequest;
}

type Handler = (input: Input, bot: LoadedBot) => Promise<unknown>;

function route(def: AdminRoute, handler: Handler): AdminRoute & { readonly handler: Handler } {
  return { ...def, handler };
}

/**
 * Runs a shop's action and answers with what it changed: 409 when it no
 * longer applies (the order is cancelled, the booking is over). An
 * `Idempotency-Key` header makes a retried request act once.
 */
async function shopAction(options: AdminApiOptions, bot: LoadedBot, request: FastifyRequest, action: MerchantAction): Promise<{ readonly outcome: "done" | "duplicate" }> {
  const header = request.headers["idempotency-key"];
  const given = typeof header === "string" && /^[\x21-\x7e]{1,100}$/.test(header) ? header : undefined;
  const key = `api:${keyOf(request).id}:${given ?? randomUUID()}`;
  const outcome = await runShopAction(options.turns, options.store, bot.id, action, key);
  const what = "orderId" in action ? `order #${action.orderId}` : `booking #${action.bookingId}`;
  switch (outcome) {
    case "done":
    case "duplicate":
      return { outcome };
    case "not_found":
      throw new HttpError(404, "not_found", `bot '${bot.id}' has no ${what}`);
    case "refused":
      throw new HttpError(409, "conflict", `${what} cannot do that now (see its status); nothing was changed`);
    case "failed":
      throw new Error(`admin API: the shop's action on ${what} failed; see the log`);
  }
}

function timeZoneOf(bot: LoadedBot): string {
  return bot.calendar?.timeZone ?? bot.definition.timeZone ?? "UTC";
}

/** The routes, in the order the OpenAPI document lists them. */
export function adminRoutes(options: AdminApiOptions) {
  const { store, clock } = options;
  const mustOrder = async (bot: LoadedBot, id: string) => {
    const order = await store.orderOf(bot.id, id);
    if (order === undefined) throw new HttpError(404, "not_found", `bot '${bot.id}' has no order #${id}`);
    return order;
  };
  const mustBooking = async (bot: LoadedBot, id: string) => {
    const booking = await store.transaction((tx) => tx.getBooking(id));
    if (booking === undefined || booking.botId !== bot.id) throw new HttpError(404, "not_found", `bot '${bot.id}' has no booking #${id}`);
    return booking;
  };
  return [
    route(
      { method: "GET", path: "/bots/:bot/catalog", scope: "read", summary: "The catalog: each product's price (minor units) and currency, stock left (null: not tracked) and whether it can be ordered", params: s.botParams, query: s.noQuery },
      async (_input, bot) => {
        const units = new Map((await store.stockLevels(bot.id)).map((l) => [l.productId, l.units]));
        const catalog = bot.catalog;
        return {
          bot: bot.id,
          currency: catalog?.currency ?? null,
          products: (catalog?.catalog.products ?? []).map((p) => {
            const stock = units.get(p.id) ?? null;
            return {
              id: p.id,
              name: p.name,
              category: p.category,
              price: p.price,
              currency: catalog?.currencyOf(p.id) ?? p.currency ?? null,
              stock,
              available: stock === null || stock > 0,
              ...(p.channels === undefined ? {} : { channels: [...p.channels] }),
            };
          }),
        };
      },
    ),
    route(
      { method: "PATCH", path: "/bots/:bot/catalog/products/:id", scope: "write", summary: "Sets a product's stock left; orders placed before keep what they reserved. Recorded with the key that made it", params: s.productParams, query: s.noQuery, body: s.productPatch, bodyHint: s.PRODUCT_PATCH_HINT },
      async ({ params, body, request }, bot) => {
        const productId = String(params.id);
        const product = bot.catalog?.findProduct(productId);
        if (product === undefined) throw new HttpError(404, "not_found", `bot '${bot.id}' has no product '${productId}' in its catalog`);
        const { stock } = body as z.output<typeof s.productPatch>;
        const key = keyOf(request);
        const before = await store.setStockLevel({ botId: bot.id, productId, units: stock, keyId: key.id, at: clock.now() });
        return { product: productId, stock: { before, after: stock }, changedBy: { key: key.id } };
      },
    ),
    route(
      { method: "GET", path: "/bots/:bot/orders", scope: "read", summary: "Orders, newest first, filtered by status, channel and when they were placed", params: s.botParams, query: s.ordersQuery },
      async ({ query }, bot) => {
        const q = query as z.output<typeof s.ordersQuery>;
        const list = await store.recentOrders({
          botId: bot.id,
          limit: q.limit,
          ...(q.status === undefined ? {} : { status: q.status }),
          ...(q.channel === undefined ? {} : { channel: q.channel }),
          ...(q.from === undefined ? {} : { from: new Date(q.from) }),
          ...(q.to === undefined ? {} : { to: new Date(q.to) }),
        });
        return { orders: list.map(orderJson) };
      },
    ),
    route(
      { method: "GET", path: "/bots/:bot/orders/:id", scope: "read", summary: "One order with its status history (each change with its cause)", params: s.orderParams, query: s.noQuery },
      async ({ params }, bot) => {
        const order = await mustOrder(bot, String(params.id));
        return { ...orderJson(order), history: (await store.orderHistory(order.id)).map(transitionJson) };
      },
    ),
    route(
      { method: "POST", path: "/bots/:bot/orders/:id/status", scope: "write", summary: "Moves a paid order on (preparing, ready, collected, delivered) and tells the customer; 409 when it cannot (cancelled, or backwards)", params: s.orderParams, query: s.noQuery, body: s.orderStatusBody, bodyHint: s.ORDER_STATUS_HINT },
      async ({ params, body, request }, bot) => {
        const orderId = String(params.id);
        const { to } = body as z.output<typeof s.orderStatusBody>;
        const { outcome } = await shopAction(options, bot, request, { type: "order.status", orderId, to, by: `api key ${keyOf(request).id}` });
        return { outcome, order: orderJson(await mustOrder(bot, orderId)) };
      },
    ),
    route(
      { method: "POST", path: "/bots/:bot/orders/:id/cancel", scope: "write", summary: "Cancels a paid order: its whole payment is refunded (listed in refunds) and the customer told; 409 when it is no longer paid", params: s.orderParams, query: s.noQuery, body: s.cancelBody, bodyHint: s.CANCEL_HINT },
      async ({ params, body, request }, bot) => {
        const orderId = String(params.id);
        const { reason } = body as z.output<typeof s.cancelBody>;
        const { outcome } = await shopAction(options, bot, request, { type: "order.cancel", orderId, by: `api key ${keyOf(request).id}`, ...(reason === undefined ? {} : { reason }) });
        return { outcome, order: orderJson(await mustOrder(bot, orderId)) };
      },
    ),
    route(
      { method: "POST", path: "/bots/:bot/bookings/:id/cancel", scope: "write", summary: "Cancels a booking before its time: the whole deposit paid is refunded and the customer told; 409 when it is over or closed", params: s.bookingParams, query: s.noQuery, body: s.cancelBody, bodyHint: s.CANCEL_HINT },
      async ({ params, body, request }, bot) => {
        const bookingId = String(params.id);
        const { reason } = body as z.output<typeof s.cancelBody>;
        const { outcome } = await shopAction(options, bot, request, { type: "booking.cancel", bookingId, by: `api key ${keyOf(request).id}`, ...(reason === undefined ? {} : { reason }) });
        return { outcome, booking: bookingJson(await mustBooking(bot, bookingId)) };
      },
    ),
    route(
      { method: "POST", path: "/bots/:bot/bookings/:id/no-show", scope: "write", summary: "Marks a booking missed once its time has begun: the deposit is kept and the customer told; 409 before its time", params: s.bookingParams, query: s.noQuery, body: s.noBody, bodyHint: s.NO_BODY_HINT },
      async ({ params, request }, bot) => {
        const bookingId = String(params.id);
        const { outcome } = await shopAction(options, bot, request, { type: "booking.no_show", bookingId, by: `api key ${keyOf(request).id}` });
        return { outcome, booking: bookingJson(await mustBooking(bot, bookingId)) };
      },
    ),
    route(
      { method: "GET", path: "/bots/:bot/bookings", scope: "read", summary: "Bookings by start, of one day in the calendar's time zone and one resource when given", params: s.botParams, query: s.bookingsQuery },
      async ({ query }, bot) => {
        const q = query as z.output<typeof s.bookingsQuery>;
        const zone = timeZoneOf(bot);
        let range: { from: Date; to: Date } | undefined;
        if (q.day !== undefined) {
          const start = DateTime.fromISO(q.day, { zone });
          if (!start.isValid) throw new HttpError(400, "invalid_request", `query.day: '${q.day}' is not a day of the calendar; write YYYY-MM-DD`);
          range = { from: start.toJSDate(), to: start.plus({ days: 1 }).toJSDate() };
        }
        const list = await store.bookingsBetween({
          botId: bot.id,
          ...(q.resource === undefined ? {} : { resourceId: q.resource }),
          ...(q.status === undefined ? {} : { status: q.status }),
          ...(range ?? {}),
        });
        return { timeZone: zone, bookings: list.map(bookingJson) };
      },
    ),
    route(
      { method: "GET", path: "/bots/:bot/refunds", scope: "read", summary: "Money owed back to customers, oldest first; status manual is for the business to refund by hand", params: s.botParams, query: s.refundsQuery },
      async ({ query }, bot) => {
        const q = query as z.output<typeof s.refundsQuery>;
        return { refunds: (await store.listRefunds({ botId: bot.id, ...(q.status === undefined ? {} : { status: q.status }) })).map(refundJson) };
      },
    ),
    route(
      { method: "GET", path: "/bots/:bot/flows", scope: "read", summary: "Each flow's current version and the versions conversations are in, with how many conversations each", params: s.botParams, query: s.noQuery },
      async (_input, bot) => {
        const inUse = await store.flowVersionsInUse(bot.id);
        const ids = new Set([...bot.flows.keys(), ...inUse.map((v) => v.flowId)]);
        return {
          flows: [...ids].sort().map((id) => {
            const loaded = bot.flows.get(id);
            const current = loaded === undefined ? null : versionKey(loaded.flow);
            return {
              id,
              current,
              versions: inUse.filter((v) => v.flowId === id).map((v) => ({ key: v.key, conversations: v.conversations, current: v.key === current })),
            };
          }),
        };
      },
    ),
    route(
      { method: "GET", path: "/bots/:bot/changes", scope: "read", summary: "Changes made through this API, newest first, each with the id of the key that made it", params: s.botParams, query: s.changesQuery },
      async ({ query }, bot) => {
        const q = query as z.output<typeof s.changesQuery>;
        return { changes: (await store.adminChanges(bot.id, q.limit)).map(changeJson) };
      },
    ),
  ];
}

/** Registers each route on `app` (already under the API's prefix), behind its key check. */
export function registerAdminRoutes(app: FastifyInstance, options: AdminApiOptions): readonly AdminRoute[] {
  const routes = adminRoutes(options);
  for (const r of routes) {
    app.route({
      method: r.method,
      url: r.path,
      onRequest: adminAuth(options.store, r.scope),
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const params = parseInput(r.params, request.params, "params");
        const query = parseInput(r.query, request.query, "query");
        const body = r.body === undefined ? undefined : parseInput(r.body, request.body, "body", r.bodyHint);
        const botId = String(params.bot);
        const bot = options.bots().find((b) => b.id === botId);
        if (bot === undefined) throw new HttpError(404, "not_found", `no bot '${botId}' on this server`);
        return reply.send(await r.handler({ params, query, body, request }, bot));
      },
    });
  }
  return routes;
}
