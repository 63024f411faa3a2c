import { Bot, Keyboard } from "grammy";
import type { Context } from "grammy";
import type { Message, Update, UserFromGetMe } from "grammy/types";
import { conversations, createConversation } from "@grammyjs/conversations";
import type {
  Conversation,
  ConversationData,
  ConversationFlavor,
  VersionedState,
  VersionedStateStorage,
} from "@grammyjs/conversations";
import type Database from "better-sqlite3";
import { drive, EXPECTED_TOTAL_MINOR, ReplyCounter } from "../drive.ts";
import { MAX_CART_LINES, OrderBook, PRODUCTS, SIZES, TEXT, cartSummary, isValidQuantity, openFreshDb } from "./shop.ts";
import type { CartLine } from "./shop.ts";
import type { PeerOptions, PeerResult } from "../types.ts";

type BotContext = ConversationFlavor<Context>;
type OrderConversation = Conversation<BotContext, Context>;

const BOT_INFO: UserFromGetMe = {
  id: 4242,
  is_bot: true,
  first_name: "Coffee Bar",
  username: "coffee_bar_bench_bot",
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

const productKeyboard = Keyboard.from([[...PRODUCTS]]).oneTime().resized();
const sizeKeyboard = Keyboard.from([[...SIZES]]).oneTime().resized();
const yesNoKeyboard = Keyboard.from([["yes", "no"]]).oneTime().resized();

function isVersionedConversationData(value: unknown): value is VersionedState<ConversationData> {
  return (
    typeof value === "object" &&
    value !== null &&
    "version" in value &&
    Array.isArray(value.version) &&
    "state" in value &&
    typeof value.state === "object" &&
    value.state !== null
  );
}

/** The plugin's own key/value contract, backed by one SQLite row per chat; `writes` counts rows written or deleted. */
function sqliteConversationStorage(db: Database.Database, writes: { count: number }): VersionedStateStorage<string, ConversationData> {
  db.exec("CREATE TABLE IF NOT EXISTS conversation_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  const select = db.prepare<[string], { value: string }>("SELECT value FROM conversation_state WHERE key = ?");
  const upsert = db.prepare<[string, string]>(
    "INSERT INTO conversation_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
  );
  const remove = db.prepare<[string]>("DELETE FROM conversation_state WHERE key = ?");
  return {
    read(key) {
      const row = select.get(key);
      if (row === undefined) return undefined;
      const parsed: unknown = JSON.parse(row.value);
      if (!isVersionedConversationData(parsed)) throw new Error(`Corrupt conversation state under ${key}`);
      return parsed;
    },
    write(key, state) {
      upsert.run(key, JSON.stringify(state));
      writes.count += 1;
    },
    delete(key) {
      remove.run(key);
      writes.count += 1;
    },
  };
}

function parseYesNo(text: string | undefined): boolean | undefined {
  const answer = text?.trim().toLowerCase();
  if (answer === "yes" || answer === "y") return true;
  if (answer === "no" || answer === "n") return false;
  return undefined;
}

function askYesNo(conversation: OrderConversation): Promise<boolean> {
  return conversation.form.build<boolean, never>({
    validate: (ctx) => {
      const value = parseYesNo(ctx.message?.text);
      return value === undefined ? { ok: false } : { ok: true, value };
    },
    otherwise: (ctx) => ctx.reply(TEXT.retryYesNo, { reply_markup: yesNoKeyboard }),
  });
}

function makeOrderConversation(orders: OrderBook) {
  return async function order(conversation: OrderConversation, ctx: Context): Promise<void> {
    const customerId = ctx.chatId;
    if (customerId === undefined) return;
    await ctx.reply(TEXT.greeting);
    const cart: CartLine[] = [];
    for (let wantsMore = true; wantsMore && cart.length < MAX_CART_LINES; ) {
      await ctx.reply(TEXT.askProduct, { reply_markup: productKeyboard });
      const product = await conversation.form.select([...PRODUCTS], {
        otherwise: (c) => c.reply(TEXT.retryProduct, { reply_markup: productKeyboard }),
      });
      await ctx.reply(TEXT.askQuantity);
      const quantity = await conversation.form.build<number, never>({
        validate: (c) => {
          const value = Number(c.message?.text?.trim());
          return isValidQuantity(value) ? { ok: true, value } : { ok: false };
        },
        otherwise: (c) => c.reply(TEXT.retryQuantity),
      });
      await ctx.reply(TEXT.askSize, { reply_markup: sizeKeyboard });
      const size = await conversation.form.select([...SIZES], {
        otherwise: (c) => c.reply(TEXT.retrySize, { reply_markup: sizeKeyboard }),
      });
      cart.push({ product, size, quantity });
      if (cart.length < MAX_CART_LINES) {
        await ctx.reply(TEXT.askMore, { reply_markup: yesNoKeyboard });
        wantsMore = await askYesNo(conversation);
      }
    }
    await ctx.reply(cartSummary(cart), { reply_markup: yesNoKeyboard });
    if (!(await askYesNo(conversation))) {
      await ctx.reply(TEXT.cancelled);
      return;
    }
    // external() runs the insert once; later replays reuse the recorded outcome.
    await conversation.external(() => orders.place(String(customerId), cart));
    await ctx.reply(TEXT.placed);
  };
}

function fakeSentMessage(payload: unknown, messageId: number): Message.TextMessage {
  const fields = typeof payload === "object" && payload !== null ? payload : {};
  const chatId = "chat_id" in fields && typeof fields.chat_id === "number" ? fields.chat_id : 0;
  const text = "text" in fields && typeof fields.text === "string" ? fields.text : "";
  return {
    message_id: messageId,
    date: Math.floor(Date.now() / 1000),
    chat: { id: chatId, type: "private", first_name: `Customer ${chatId}` },
    from: BOT_INFO,
    text,
  };
}

/**
 * Stands in for api.telegram.org at the HTTP boundary. A transformer on
 * `bot.api` would not be enough: the conversations plugin builds a fresh `Api`
 * from the bot's token and client options for every replay, so only client
 * options reach the calls made inside a conversation. Faking here also keeps
 * the plugin recording each call's result in its replay log, as in production.
 */
function fakeTelegramFetch(replies: ReplyCounter): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  let nextMessageId = 1_000_000;
  return async (input, init) => {
    const method = String(input).slice(String(input).lastIndexOf("/") + 1);
    const payload: unknown = typeof init?.body === "string" ? JSON.parse(init.body) : {};
    if (method !== "sendMessage") return Response.json({ ok: true, result: true });
    const sent = fakeSentMessage(payload, nextMessageId++);
    replies.add(String(sent.chat.id));
    return Response.json({ ok: true, result: sent });
  };
}

function textUpdate(updateId: number, customerId: number, messageId: number, text: string): Update {
  const command = /^\/\w+/.exec(text)?.[0];
  return {
    update_id: updateId,
    message: {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: customerId, type: "private", first_name: `Customer ${customerId}` },
      from: { id: customerId, is_bot: false, first_name: `Customer ${customerId}` },
      text,
      ...(command === undefined ? {} : { entities: [{ type: "bot_command", offset: 0, length: command.length }] }),
    },
  };
}

export async function runGrammyConversations(opts: PeerOptions): Promise<PeerResult> {
  const db = openFreshDb(opts.dbFile);
  try {
    const orders = new OrderBook(db);
    const replies = new ReplyCounter();
    const writes = { count: 0 };
    const bot = new Bot<BotContext>("4242:bench-token-not-used", {
      botInfo: BOT_INFO,
      client: { fetch: fakeTelegramFetch(replies) },
    });
    bot.use(conversations({ storage: { type: "key", version: 1, adapter: sqliteConversationStorage(db, writes) } }));
    bot.use(createConversation(makeOrderConversation(orders), "order"));
    bot.command("start", (ctx) => ctx.conversation.enter("order"));
    bot.on("message", (ctx) => ctx.reply(TEXT.notInOrder));

    let updateId = 0;
    const run = await drive(
      opts,
      (customer, turn, text) => textUpdate(++updateId, 100_000 + customer, turn + 1, text),
      (update) => replies.during(String(update.message?.chat.id), () => bot.handleUpdate(update)),
    );
    return { name: "grammy-conversations", ...run, ...orders.count(EXPECTED_TOTAL_MINOR), stateWrites: writes.count };
  } finally {
    db.close();
  }
}
