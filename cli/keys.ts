import { parseArgs } from "node:util";
import { newApiKey, openSqliteStore, type ApiKeyRow, type ApiKeyScope } from "../store/index.ts";

const SCOPES: readonly ApiKeyScope[] = ["read", "write"];
const BOT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const USAGE = "kiosk keys create --bot <id> --scope read|write [--label TEXT] [--db FILE] | kiosk keys list [--bot <id>] [--db FILE] | kiosk keys revoke <id> [--db FILE]";

/** A key as listed: never the key itself (the store does not have it). */
function keyJson(key: ApiKeyRow) {
  return {
    id: key.id,
    bot: key.botId,
    scope: key.scope,
    label: key.label,
    createdAt: key.createdAt.toISOString(),
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

function fail(message: string): number {
  process.stderr.write(`kiosk keys: ${message}\nusage: ${USAGE}\n`);
  return 2;
}

/**
 * `kiosk keys create|list|revoke`: the admin API's keys. `create` prints the
 * new key once (only its hash is stored: lose it and create another);
 * `list` shows ids, bots, scopes and dates, never a key; `revoke` stops a key
 * at once, for good.
 */
export async function keysCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { db: { type: "string" }, bot: { type: "string" }, scope: { type: "string" }, label: { type: "string" }, json: { type: "boolean" } },
  });
  const db = values.db ?? "data/kiosk.db";
  switch (action) {
    case "create": {
      const { bot, scope, label } = values;
      if (bot === undefined || !BOT_ID.test(bot)) return fail(`create needs --bot <id> (1–64 letters, digits, _ or -)${bot === undefined ? "" : `, got '${bot}'`}`);
      if (scope === undefined || !SCOPES.includes(scope as ApiKeyScope)) return fail(`create needs --scope read or --scope write${scope === undefined ? "" : `, got '${scope}'`}`);
      if (label !== undefined && label.length > 200) return fail("--label is at most 200 characters");
      if (positionals.length > 0) return fail(`create takes no argument '${positionals[0] ?? ""}'`);
      const store = openSqliteStore({ file: db });
      try {
        const { key, hash } = newApiKey(bot);
        const row = await store.createApiKey({ botId: bot, scope: scope as ApiKeyScope, hash, ...(label === undefined ? {} : { label }), at: new Date() });
        if (values.json) process.stdout.write(`${JSON.stringify({ ...keyJson(row), key }, null, 2)}\n`);
        else process.stdout.write(`key #${row.id} for bot ${row.botId}, scope ${row.scope}:\n${key}\nThis is the only time it is shown: keep it now (only its hash is stored).\n`);
      } finally {
        await store.close();
      }
      return 0;
    }
    case "list": {
      if (values.bot !== undefined && !BOT_ID.test(values.bot)) return fail(`--bot must be a bot id, got '${values.bot}'`);
      const store = openSqliteStore({ file: db });
      try {
        const list = (await store.listApiKeys(values.bot === undefined ? {} : { botId: values.bot })).map(keyJson);
        if (values.json) process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        else if (list.length === 0) process.stdout.write("no keys\n");
        else {
          for (const k of list) {
            process.stdout.write(`#${k.id}\t${k.bot}\t${k.scope}\tcreated ${k.createdAt}\t${k.revokedAt === null ? "active" : `revoked ${k.revokedAt}`}${k.label === null ? "" : `\t${k.label}`}\n`);
          }
        }
      } finally {
        await store.close();
      }
      return 0;
    }
    case "revoke": {
      const [id, ...more] = positionals;
      if (id === undefined || !/^[1-9]\d{0,15}$/.test(id) || more.length > 0) return fail(`revoke needs one key id (see kiosk keys list)${id === undefined ? "" : `, got '${positionals.join(" ")}'`}`);
      const store = openSqliteStore({ file: db });
      try {
        const revoked = await store.revokeApiKey(Number(id), new Date());
        if (!revoked) {
          const known = (await store.listApiKeys({})).find((k) => k.id === Number(id));
          process.stderr.write(known === undefined ? `kiosk keys: no key #${id}; see kiosk keys list\n` : `kiosk keys: key #${id} was revoked already (${known.revokedAt?.toISOString() ?? ""})\n`);
          return 1;
        }
        process.stdout.write(`key #${id} revoked\n`);
      } finally {
        await store.close();
      }
      return 0;
    }
    default:
      return fail(action === undefined ? "say create, list or revoke" : `unknown action '${action}'; say create, list or revoke`);
  }
}
