/**
 * The admin HTTP API under `/admin/api/v1`: a bot's catalog, orders,
 * bookings, refunds and flow versions for the business's own systems, and
 * the shop's actions (fulfilment, cancellations with refunds, no-shows),
 * behind keys of one bot and one scope (`kiosk keys create`), described by
 * an OpenAPI 3.1 document at `/admin/api/v1/openapi.json`.
 */
import type { FastifyInstance } from "fastify";
import { openApiDocument } from "./openapi.ts";
import { registerAdminRoutes, type AdminApiOptions } from "./routes.ts";

export type { AdminApiOptions } from "./routes.ts";

/** Where the admin API lives. */
export const ADMIN_API_PREFIX = "/admin/api/v1";

/**
 * Mounts the admin API on `app`: every route under `ADMIN_API_PREFIX`, each
 * behind its key check (see auth.ts); the OpenAPI document needs no key.
 *
 * @example
 * registerAdminApi(app, { store: kiosk.store, bots: () => kiosk.bots, clock: kiosk.clock, turns: kiosk.runtime });
 */
export function registerAdminApi(app: FastifyInstance, options: AdminApiOptions): void {
  void app.register(
    async (scope) => {
      const routes = registerAdminRoutes(scope, options);
      const document = openApiDocument(routes, ADMIN_API_PREFIX);
      scope.get("/openapi.json", async () => document);
    },
    { prefix: ADMIN_API_PREFIX },
  );
}
