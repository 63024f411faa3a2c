import { parseArgs } from "node:util";
import { openSqliteStore, type RefundRow, type RefundStatus } from "../store/index.ts";

const STATUSES: readonly RefundStatus[] = ["pending", "refunded", "manual", "failed"];

/** A refund as scripts read it: money in minor units, instants in ISO UTC. */
export function refundJson(refund: RefundRow) {
  return {
    id: refund.id,
    bot: refund.botId,
    channel: refund.channel,
    customer: refund.userId,
    order: refund.orderId,
    provider: refund.provider,
    payment: refund.paymentReference,
    providerPayment: refund.providerReference,
    amount: refund.amount,
    currency: refund.currency,
    reason: refund.reason,
    status: refund.status,
    attempts: refund.attempts,
    note: refund.lastError,
    createdAt: refund.createdAt.toISOString(),
    updatedAt: refund.updatedAt.toISOString(),
  };
}

/**
 * `kiosk refunds [--db FILE] [--json] [--status S]`: the money owed back to
 * customers, oldest first. `--status manual` lists what the business must
 * refund by hand in its payment provider's dashboard.
 */
export async function refundsCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { db: { type: "string" }, json: { type: "boolean" }, status: { type: "string" } } });
  const status = values.status;
  if (status !== undefined && !STATUSES.includes(status as RefundStatus)) {
    process.stderr.write(`kiosk refunds: --status must be one of ${STATUSES.join(", ")}, got '${status}'\n`);
    return 2;
  }
  const store = openSqliteStore({ file: values.db ?? "data/kiosk.db" });
  try {
    const list = (await store.listRefunds(status === undefined ? {} : { status: status as RefundStatus })).map(refundJson);
    if (values.json) process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    else if (list.length === 0) process.stdout.write("no refunds\n");
    else {
      for (const r of list) {
        process.stdout.write(`#${r.id}\t${r.status}\t${r.amount} ${r.currency}\torder #${r.order}\t${r.provider}/${r.payment}\t${r.channel}:${r.customer}\t${r.reason}${r.note ? `\t${r.note}` : ""}\n`);
      }
    }
  } finally {
    await store.close();
  }
  return 0;
}
