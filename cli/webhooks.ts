import { parseArgs } from "node:util";
import { openSqliteStore, type WebhookDelivery } from "../store/index.ts";

/** A delivery as scripts read it: instants in ISO UTC. */
export function deliveryJson(delivery: WebhookDelivery) {
  return {
    event: delivery.event.id,
    type: delivery.event.type,
    bot: delivery.event.botId,
    created: delivery.event.created.toISOString(),
    status: delivery.status,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.status === "pending" ? delivery.nextAttemptAt.toISOString() : null,
    lastError: delivery.lastError,
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
  };
}

/**
 * `kiosk webhooks [--bot ID] [--failed] [--json] [--db FILE]`: each event's
 * delivery to its bot's webhook, oldest first; `--failed` lists those given
 * up. `kiosk webhooks retry <event id> [--db FILE]` makes a given-up delivery
 * pending again: the running server sends it on its next tick.
 */
export async function webhooksCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { db: { type: "string" }, bot: { type: "string" }, failed: { type: "boolean" }, json: { type: "boolean" } },
  });
  const [sub, eventId, ...extra] = positionals;
  if (sub !== undefined && sub !== "retry") {
    process.stderr.write(`kiosk webhooks: unknown command '${sub}'; use kiosk webhooks [--bot ID] [--failed] or kiosk webhooks retry <event id>\n`);
    return 2;
  }
  if (sub === "retry" && (eventId === undefined || extra.length > 0 || !/^evt_\d+$/.test(eventId))) {
    process.stderr.write("kiosk webhooks retry: give one event id, e.g. kiosk webhooks retry evt_42\n");
    return 2;
  }
  const store = openSqliteStore({ file: values.db ?? "data/kiosk.db" });
  try {
    if (sub === "retry" && eventId !== undefined) {
      if (!(await store.retryGivenUpWebhook(eventId, new Date()))) {
        process.stderr.write(`kiosk webhooks retry: ${eventId} has no given-up delivery (see kiosk webhooks --failed)\n`);
        return 1;
      }
      process.stdout.write(`${eventId}: pending again; the server sends it on its next tick\n`);
      return 0;
    }
    const list = (await store.listWebhookDeliveries({ ...(values.bot === undefined ? {} : { botId: values.bot }), ...(values.failed ? { status: "gave_up" as const } : {}) })).map(deliveryJson);
    if (values.json) process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    else if (list.length === 0) process.stdout.write(values.failed ? "no webhook deliveries given up\n" : "no webhook deliveries\n");
    else for (const d of list) process.stdout.write(`${d.event}\t${d.type}\t${d.bot}\t${d.status}\t${d.attempts} attempt${d.attempts === 1 ? "" : "s"}${d.lastError ? `\t${d.lastError}` : ""}\n`);
  } finally {
    await store.close();
  }
  return 0;
}
