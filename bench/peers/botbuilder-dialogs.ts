import { ActivityTypes, BotAdapter, ConversationState, TurnContext } from "botbuilder";
import type {
  Activity,
  ConversationReference,
  ResourceResponse,
  StatePropertyAccessor,
  Storage,
  StoreItems,
} from "botbuilder";
import {
  ChoiceFactory,
  ChoicePrompt,
  ConfirmPrompt,
  DialogSet,
  DialogTurnStatus,
  NumberPrompt,
  WaterfallDialog,
} from "botbuilder-dialogs";
import type { DialogState, DialogTurnResult, FoundChoice, WaterfallStepContext } from "botbuilder-dialogs";
import type Database from "better-sqlite3";
import { drive, EXPECTED_TOTAL_MINOR, ReplyCounter } from "../drive.ts";
import {
  MAX_CART_LINES,
  OrderBook,
  PRODUCTS,
  SIZES,
  TEXT,
  cartSummary,
  isCart,
  isProduct,
  isSize,
  isValidQuantity,
  openFreshDb,
} from "./shop.ts";
import type { CartLine } from "./shop.ts";
import type { PeerOptions, PeerResult } from "../types.ts";

const ORDER_DIALOG = "order";
const ITEM_DIALOG = "item";
const PRODUCT_PROMPT = "productPrompt";
const QUANTITY_PROMPT = "quantityPrompt";
const SIZE_PROMPT = "sizePrompt";
const CONFIRM_PROMPT = "confirmPrompt";

interface ItemOptions {
  cart: CartLine[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Bot Framework's Storage contract over one SQLite table. eTags are a per-key
 * integer bumped on every write; a write carrying a stale eTag is rejected, and
 * `*` (what BotState sends) or no eTag writes unconditionally. `writes` counts
 * items written.
 */
class SqliteStorage implements Storage {
  writes = 0;
  private readonly select;
  private readonly selectETag;
  private readonly upsert;
  private readonly remove;
  private readonly writeAll: (changes: Record<string, unknown>) => void;

  constructor(db: Database.Database) {
    db.exec("CREATE TABLE IF NOT EXISTS bot_state (key TEXT PRIMARY KEY, etag INTEGER NOT NULL, value TEXT NOT NULL)");
    this.select = db.prepare<[string], { etag: number; value: string }>(
      "SELECT etag, value FROM bot_state WHERE key = ?",
    );
    this.selectETag = db.prepare<[string], { etag: number }>("SELECT etag FROM bot_state WHERE key = ?");
    this.upsert = db.prepare<[string, string]>(
      "INSERT INTO bot_state (key, etag, value) VALUES (?, 1, ?) ON CONFLICT(key) DO UPDATE SET etag = etag + 1, value = excluded.value",
    );
    this.remove = db.prepare<[string]>("DELETE FROM bot_state WHERE key = ?");
    // Checking every eTag before writing any item keeps a multi-key write all-or-nothing.
    this.writeAll = db.transaction((changes: Record<string, unknown>) => {
      for (const [key, item] of Object.entries(changes)) {
        if (!isRecord(item)) throw new TypeError(`Storage: item "${key}" is not an object.`);
        const { eTag, ...value } = item;
        if (typeof eTag === "string" && eTag !== "*") {
          const current = this.selectETag.get(key);
          if (current !== undefined && String(current.etag) !== eTag) {
            throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
          }
        }
        this.upsert.run(key, JSON.stringify(value));
        this.writes += 1;
      }
    });
  }

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const key of keys) {
      const row = this.select.get(key);
      if (row === undefined) continue;
      const value: unknown = JSON.parse(row.value);
      if (!isRecord(value)) throw new Error(`Storage: corrupt item "${key}".`);
      items[key] = { ...value, eTag: String(row.etag) };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    this.writeAll(changes);
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.remove.run(key);
  }
}

/** A channel that lives in this process: outgoing activities are counted per recipient and get an id. */
class InProcessAdapter extends BotAdapter {
  private nextActivityId = 0;

  constructor(private readonly replies: ReplyCounter) {
    super();
  }

  async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    return activities.map((activity) => {
      this.replies.add(activity.recipient?.id ?? "");
      return { id: String(++this.nextActivityId) };
    });
  }

  async updateActivity(_context: TurnContext, _activity: Partial<Activity>): Promise<void> {
    throw new Error("updateActivity is not supported by the in-process adapter");
  }

  async deleteActivity(_context: TurnContext, _reference: Partial<ConversationReference>): Promise<void> {
    throw new Error("deleteActivity is not supported by the in-process adapter");
  }

  async continueConversation(
    _reference: Partial<ConversationReference>,
    _logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    throw new Error("continueConversation is not supported by the in-process adapter");
  }

  /** Same shape as the production adapters' entry point: one inbound activity, one turn. */
  processActivity(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    return this.runMiddleware(new TurnContext(this, activity), logic);
  }
}

/** Waterfall step values are persisted with the dialog instance; this names their shape. */
function draftLine(step: WaterfallStepContext<ItemOptions>): Partial<CartLine> {
  return step.values as Partial<CartLine>;
}

function buildDialogs(dialogState: StatePropertyAccessor<DialogState>, orders: OrderBook): DialogSet {
  const dialogs = new DialogSet(dialogState);
  dialogs.add(new ChoicePrompt(PRODUCT_PROMPT));
  dialogs.add(
    new NumberPrompt(
      QUANTITY_PROMPT,
      async (prompt) => prompt.recognized.succeeded && isValidQuantity(prompt.recognized.value ?? Number.NaN),
    ),
  );
  dialogs.add(new ChoicePrompt(SIZE_PROMPT));
  dialogs.add(new ConfirmPrompt(CONFIRM_PROMPT));

  // One cart line per pass; "Anything else? yes" restarts this dialog with the grown cart.
  dialogs.add(
    new WaterfallDialog<ItemOptions>(ITEM_DIALOG, [
      async (step) =>
        step.prompt(PRODUCT_PROMPT, {
          prompt: TEXT.askProduct,
          retryPrompt: TEXT.retryProduct,
          choices: ChoiceFactory.toChoices([...PRODUCTS]),
        }),
      async (step) => {
        const choice: FoundChoice = step.result;
        if (!isProduct(choice.value)) throw new Error(`Unexpected product ${choice.value}`);
        draftLine(step).product = choice.value;
        return step.prompt(QUANTITY_PROMPT, { prompt: TEXT.askQuantity, retryPrompt: TEXT.retryQuantity });
      },
      async (step) => {
        const quantity: unknown = step.result;
        if (typeof quantity !== "number") throw new Error("Quantity prompt returned a non-number");
        draftLine(step).quantity = quantity;
        return step.prompt(SIZE_PROMPT, {
          prompt: TEXT.askSize,
          retryPrompt: TEXT.retrySize,
          choices: ChoiceFactory.toChoices([...SIZES]),
        });
      },
      async (step) => {
        const choice: FoundChoice = step.result;
        const { product, quantity } = draftLine(step);
        if (!isSize(choice.value) || product === undefined || quantity === undefined) {
          throw new Error("Item dialog lost its draft line");
        }
        const cart = [...step.options.cart, { product, size: choice.value, quantity }];
        // The options object is saved with this dialog instance, so the grown cart survives to the next turn.
        step.options.cart = cart;
        if (cart.length >= MAX_CART_LINES) return step.next(false);
        return step.prompt(CONFIRM_PROMPT, { prompt: TEXT.askMore, retryPrompt: TEXT.retryYesNo });
      },
      async (step) =>
        step.result === true
          ? step.replaceDialog(ITEM_DIALOG, { cart: step.options.cart })
          : step.endDialog(step.options.cart),
    ]),
  );

  dialogs.add(
    new WaterfallDialog(ORDER_DIALOG, [
      async (step) => {
        await step.context.sendActivity(TEXT.greeting);
        const options: ItemOptions = { cart: [] };
        return step.beginDialog(ITEM_DIALOG, options);
      },
      async (step) => {
        const cart: unknown = step.result;
        if (!isCart(cart)) throw new Error("Item dialog returned no cart");
        Object.assign(step.values, { cart });
        return step.prompt(CONFIRM_PROMPT, { prompt: cartSummary(cart), retryPrompt: TEXT.retryYesNo });
      },
      async (step): Promise<DialogTurnResult> => {
        const cart: unknown = "cart" in step.values ? step.values.cart : undefined;
        if (!isCart(cart)) throw new Error("Order dialog lost its cart");
        if (step.result === true) {
          orders.place(step.context.activity.from.id, cart);
          await step.context.sendActivity(TEXT.placed);
        } else {
          await step.context.sendActivity(TEXT.cancelled);
        }
        return step.endDialog();
      },
    ]),
  );
  return dialogs;
}

function messageActivity(customerId: string, turn: number, text: string): Partial<Activity> {
  return {
    type: ActivityTypes.Message,
    id: `${customerId}-${turn}`,
    timestamp: new Date(),
    locale: "en-US",
    channelId: "emulator",
    serviceUrl: "http://localhost",
    conversation: { id: `conv-${customerId}`, isGroup: false, conversationType: "personal", name: "" },
    from: { id: customerId, name: `Customer ${customerId}` },
    recipient: { id: "bot", name: "Coffee Bar" },
    text,
  };
}

export async function runBotbuilderDialogs(opts: PeerOptions): Promise<PeerResult> {
  const db = openFreshDb(opts.dbFile);
  try {
    const orders = new OrderBook(db);
    const storage = new SqliteStorage(db);
    const conversationState = new ConversationState(storage);
    const dialogs = buildDialogs(conversationState.createProperty<DialogState>("dialogState"), orders);
    const replies = new ReplyCounter();
    const adapter = new InProcessAdapter(replies);

    const onTurn = async (context: TurnContext): Promise<void> => {
      if (context.activity.type === ActivityTypes.Message) {
        const dc = await dialogs.createContext(context);
        const result = await dc.continueDialog();
        if (result.status === DialogTurnStatus.empty) {
          if (context.activity.text?.trim() === "/start") await dc.beginDialog(ORDER_DIALOG);
          else await context.sendActivity(TEXT.notInOrder);
        }
      }
      await conversationState.saveChanges(context, false);
    };

    const run = await drive(
      opts,
      (customer, turn, text) => messageActivity(String(100_000 + customer), turn, text),
      (activity) => replies.during(activity.from?.id ?? "", () => adapter.processActivity(activity, onTurn)),
    );
    return { name: "botbuilder-dialogs", ...run, ...orders.count(EXPECTED_TOTAL_MINOR), stateWrites: storage.writes };
  } finally {
    db.close();
  }
}
