/**
 * Kiosk's routes as a Fastify plugin, for `kiosk serve` and for an app of
 * your own: the channels' webhooks, the emulator (when on), `GET /healthz`,
 * each under Kiosk's JSON parsing and error handling, encapsulated so the
 * host app's other routes keep theirs. The app's lifecycle drives Kiosk's:
 * ready starts it, close stops it and closes it after the server stopped.
 */
import type { FastifyPluginAsync } from "fastify";
import { registerAdminApi } from "../adapters/admin/index.ts";
import { registerHealth, useJsonAndErrors } from "./app.ts";
import type { Kiosk } from "./kiosk.ts";

export interface KioskPluginOptions {
  /** What `createKiosk()` opened. */
  readonly kiosk: Kiosk;
  /** Adds `GET /healthz` (default true); an app with a health check of its own may leave it out. */
  readonly healthz?: boolean;
}

/**
 * Mounts Kiosk's routes at the app's root.
 *
 * @example
 * const app = Fastify({ logger: true });
 * const kiosk = await createKiosk({ config: resolveConfig(), log: app.log });
 * await app.register(kioskPlugin, { kiosk });
 * app.get("/", async () => "my shop");
 * await app.listen({ port: 3000 });
 */
export const kioskPlugin: FastifyPluginAsync<KioskPluginOptions> = async (app, options) => {
  const { kiosk } = options;
  const { config } = kiosk;
  useJsonAndErrors(app, config.bodyLimit);
  if (options.healthz !== false) registerHealth(app, { store: kiosk.store, bots: () => kiosk.bots.map((b) => b.id) });
  for (const channel of [kiosk.emulatorChannel, ...kiosk.channels.values()]) channel.routes?.(app, kiosk.runtime);
  // The admin API reads the main store (real customers; in emulator mode, the emulator's), behind its keys.
  registerAdminApi(app, { store: kiosk.store, bots: () => kiosk.bots, clock: kiosk.clock, turns: kiosk.runtime });
  app.addHook("onReady", () => kiosk.start());
  app.addHook("preClose", () => kiosk.stop());
  app.addHook("onClose", () => kiosk.close());
};
