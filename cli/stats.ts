import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { formatMoney } from "../commerce/index.ts";
import { computeFunnel, type Funnel, type FunnelReport, type LoadedBot } from "../flows/index.ts";
import { loadBot } from "../flows/load-bot.ts";
import { parseIsoDuration } from "../jobs/index.ts";
import { openSqliteStore } from "../store/index.ts";

/** How long a conversation is idle before it counts as stopped at its step, unless told. */
export const DEFAULT_IDLE = "PT30M";

/**
 * `kiosk stats <bot> [--since ISO] [--idle DURATION] [--db FILE] [--json]`:
 * the bot's funnel (flows/funnel.ts says what each number means). `<bot>`
 * is the bot's folder (its flows give the steps' order) or its id (steps in
 * the order first reached). Exit 2 for a bad argument.
 */
export async function statsCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { db: { type: "string" }, json: { type: "boolean" }, since: { type: "string" }, idle: { type: "string" } },
  });
  const fail = (message: string) => {
    process.stderr.write(`kiosk stats: ${message}\n`);
    return 2;
  };
  const target = positionals[0];
  if (target === undefined || positionals.length > 1) return fail("give one bot, its folder or its id: kiosk stats bots/cafe [--since ISO] [--db FILE] [--json]");
  let since: Date | undefined;
  if (values.since !== undefined) {
    since = new Date(values.since);
    if (!/^\d{4}-\d{2}-\d{2}/.test(values.since) || Number.isNaN(since.getTime())) return fail(`--since '${values.since}' is not an ISO date or instant (e.g. 2026-11-24 or 2026-11-24T09:00:00Z)`);
  }
  const idle = values.idle ?? DEFAULT_IDLE;
  let idleMs: number;
  try {
    idleMs = parseIsoDuration(idle);
  } catch (error) {
    return fail(`--idle: ${error instanceof Error ? error.message : String(error)}`);
  }
  const bot: LoadedBot | undefined = existsSync(target) ? await loadBot(target) : undefined;
  const botId = bot?.id ?? target;
  const flows = bot ? [bot.main, ...[...bot.flows.values()].filter((f) => f !== bot.main)].map((f) => ({ id: f.flow.id, steps: f.flow.steps.map((s) => s.id), ends: f.flow.steps.filter((s) => s.type === "end").map((s) => s.id) })) : [];
  const now = new Date();
  const store = openSqliteStore({ file: values.db ?? "data/kiosk.db" });
  let report: FunnelReport;
  try {
    report = computeFunnel(await store.funnelData({ botId, ...(since ? { since } : {}) }), { flows, now, idleMs });
  } finally {
    await store.close();
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ bot: botId, since: since?.toISOString() ?? null, at: now.toISOString(), idle, ...report }, null, 2)}\n`);
  } else {
    process.stdout.write(statsText(botId, report, { since, idle }));
  }
  return 0;
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

function revenueText(funnel: Funnel): string {
  if (funnel.revenue.length === 0) return "-";
  return funnel.revenue
    .map((r) => `${formatMoney({ amount: r.revenue, currency: r.currency })} (${r.orders} ${r.orders === 1 ? "order" : "orders"}, average ${formatMoney({ amount: r.averageBasket, currency: r.currency })}${r.refundedOrders > 0 ? `; ${r.refundedOrders} refunded, ${formatMoney({ amount: r.refunded, currency: r.currency })}` : ""})`)
    .join("; ");
}

/** Lines of cells as columns: numbers right-aligned, words left-aligned (as in the header's columns: the first and `left` ones). */
function table(rows: readonly (readonly string[])[], left: readonly number[] = [0]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  const cell = (text: string, i: number) => (left.includes(i) ? text.padEnd(widths[i] ?? 0) : text.padStart(widths[i] ?? 0));
  return rows.map((r) => r.map(cell).join("  ").trimEnd()).join("\n") + "\n";
}

/** The report as a person reads it: the funnel per flow and step, then by channel and by day. */
export function statsText(botId: string, report: FunnelReport, options: { since: Date | undefined; idle: string }): string {
  let out = `Funnel of ${botId}${options.since ? ` since ${options.since.toISOString()}` : ""} (stopped: the last step entered, idle ${options.idle} or more)\n`;
  out += `conversations ${report.conversations}, paid ${report.paid}, conversion ${percent(report.conversion)}\n`;
  out += `revenue ${revenueText(report)}\n`;
  for (const flow of report.flows) {
    out += `\nflow ${flow.flow}\n`;
    out += table([["step", "reached", "stopped", "of started"], ...flow.steps.map((s) => [s.step, String(s.reached), String(s.stopped), report.conversations === 0 ? "-" : percent(s.reached / report.conversations)])]);
  }
  const summary = (label: string, rows: ReadonlyArray<Funnel & { readonly name: string }>) =>
    `\n${table([[label, "conversations", "paid", "conversion", "revenue"], ...rows.map((r) => [r.name, String(r.conversations), String(r.paid), percent(r.conversion), revenueText(r)])], [0, 4])}`;
  if (report.byChannel.length > 0) out += summary("channel", report.byChannel.map((c) => ({ ...c, name: c.channel })));
  if (report.byDay.length > 0) out += summary("day (UTC)", report.byDay.map((d) => ({ ...d, name: d.day })));
  return out;
}
