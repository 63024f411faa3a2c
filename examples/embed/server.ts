/**
 * A shop's own Fastify app with Kiosk mounted in it: the shop's routes
 * (`GET /`, `GET /hours`) beside Kiosk's (channel webhooks, the emulator,
 * `GET /healthz`). Kiosk comes in by package name, as any project would
 * import it from npm.
 *
 * Run it: `npm run build` at the repository's root (Kiosk's package is its
 * compiled dist/), then `npm start` in this folder (the bakery bot, the emulator page at
 * http://127.0.0.1:3000/emulator). Set KIOSK_TELEGRAM_BAKERY_TOKEN (and the
 * rest of README's Telegram section) and the same app serves Telegram.
 */
import Fastify, { type FastifyInstance } from "fastify";
import { createKiosk, resolveConfig, type Kiosk, type ServerConfig } from "kiosk";
import { kioskPlugin } from "kiosk/fastify";
import bakery from "./bot.ts";

export interface ShopApp {
  readonly app: FastifyInstance;
  readonly kiosk: Kiosk;
}

/** The shop's app with Kiosk in it; `overrides` change Kiosk's settings (tests give a temp database). */
export async function buildShopApp(overrides: Partial<ServerConfig> = {}): Promise<ShopApp> {
  const app = Fastify({ logger: overrides.logLevel === "silent" ? false : { level: "info" } });
  app.get("/", async () => ({ shop: "Le Fournil", chat: "/emulator" }));
  app.get("/hours", async () => ({ opens: "07:00", closes: "18:00", timeZone: "Europe/Paris" }));

  const kiosk = await createKiosk({ config: { ...resolveConfig(), ...overrides }, bots: [bakery], log: app.log });
  await app.register(kioskPlugin, { kiosk });
  return { app, kiosk };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { app } = await buildShopApp({ db: "data/bakery.db", port: 3000 });
  // Closing the app closes Kiosk: the turns in flight finish and the outbox sends (see kiosk/fastify).
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void app.close());
  await app.listen({ port: 3000, host: "127.0.0.1" });
}
