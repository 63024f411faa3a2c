import type { ConversationReference } from "botbuilder";
import { z } from "zod";
import { describeOverLimit, firstOver, overLimit, type OverLimit } from "../limits.ts";

/** The channel name of Bot Framework conversations in the store and the outbox. */
export const BOTFRAMEWORK_CHANNEL = "botframework";

/**
 * What a customer did, as a turn's input: typed text, a button's payload, or
 * something no flow reads (an attachment: `media`; a card submit naming no
 * choice: `empty`), which the engine answers and asks the step again.
 */
export type ActivityInput =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "postback"; readonly payload: string }
  | { readonly kind: "unsupported"; readonly what: "media" | "empty" };

/** The invoke name of an Adaptive Card `Action.Execute` (Universal Actions), which Teams sends instead of a message. */
export const CARD_ACTION_INVOKE = "adaptiveCard/action";

/**
 * What one Bot Framework activity means to Kiosk. One customer is one
 * conversation of one channel (see `customerId`); group conversations and
 * activity types Kiosk does not handle are `ignored` and acknowledged.
 */
export type BotFrameworkActivity =
  | {
      /** `execute`: an Adaptive Card `Action.Execute` invoke, which is answered with an invoke response body. */
      readonly kind: "message" | "welcome" | "execute";
      /** The activity's id; undefined when the channel sent none (it cannot be deduplicated then). */
      readonly id: string | undefined;
      readonly channelId: string;
      readonly customerId: string;
      readonly locale?: string;
      /** Where replies go: service URL, conversation, bot and user; without the activity id (sends are not threaded replies). */
      readonly reference: ConversationReference;
      /** For `message`: the text typed or the payload of the button or card submitted. */
      readonly input?: ActivityInput;
    }
  /** `overLimit` when a field is over the bounds below (MAX_ACTIVITY_TEXT…): acknowledged, logged, not run. */
  | { readonly kind: "ignored"; readonly id: string | undefined; readonly reason: string; readonly overLimit?: OverLimit };

/**
 * The Bot Framework documents no limit per field; Teams refuses a message
 * over about 28 KB, so a customer's text is taken up to 28,000 characters.
 * A submitted payload is one Kiosk wrote into its own buttons and cards
 * (tens of characters): up to 1,000, Messenger's bound for the same thing.
 */
export const MAX_ACTIVITY_TEXT = 28_000;
export const MAX_ACTIVITY_PAYLOAD = 1_000;
/** Longest language tag taken from `locale` (BCP 47's practical maximum). */
export const MAX_ACTIVITY_LOCALE = 35;

/** A body that is not an activity, or a handled activity with broken fields. */
export class MalformedActivityError extends Error {
  override readonly name = "MalformedActivityError";
  readonly code = "malformed_activity";
}

// Only the fields Kiosk reads are checked; channels add their own (channelData, entities…).
const account = z.looseObject({ id: z.string().min(1), name: z.string().optional(), role: z.string().optional() });
const activity = z.looseObject({
  type: z.string().min(1),
  id: z.string().min(1).optional(),
  channelId: z.string().min(1),
  serviceUrl: z.string().min(1),
  from: account.optional(),
  recipient: account,
  conversation: z.looseObject({ id: z.string().min(1), isGroup: z.boolean().optional(), conversationType: z.string().optional(), tenantId: z.string().optional() }),
  locale: z.string().optional(),
  text: z.string().optional(),
  value: z.unknown().optional(),
  name: z.string().optional(),
  attachments: z.array(z.looseObject({ contentType: z.string().optional() })).optional(),
  membersAdded: z.array(account).optional(),
});

type ParsedActivity = z.infer<typeof activity>;

/** The customer of an activity: the conversation on its channel, `<channelId>:<conversation id>`. */
export function customerId(channelId: string, conversationId: string): string {
  return `${channelId}:${conversationId}`;
}

/**
 * The payload a card or button submit carries in `value`: a string, or an
 * object with a string `payload` (what Kiosk's own buttons and Adaptive Card
 * `Action.Submit` data send). Undefined for anything else.
 */
export function payloadOf(value: unknown): string | undefined {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const payload = (value as Record<string, unknown>).payload;
    if (typeof payload === "string" && payload !== "") return payload;
  }
  return undefined;
}

/**
 * The payload of an `Action.Execute` invoke's `value`:
 * `{ action: { type: "Action.Execute", verb, data }, trigger }`. Its data's
 * `payload` as for `Action.Submit`, else its `verb`.
 */
export function executePayload(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const action = (value as Record<string, unknown>).action;
  if (typeof action !== "object" || action === null) return undefined;
  const { data, verb } = action as Record<string, unknown>;
  return payloadOf(data) ?? (typeof verb === "string" && verb !== "" ? verb : undefined);
}

/** Teams repeats a message's text as a `text/html` attachment: only other attachments are something the customer sent. */
const sentAttachment = (a: { contentType?: string | undefined }) => a.contentType !== "text/html";

function referenceOf(a: ParsedActivity): ConversationReference {
  const conversation = a.conversation;
  return {
    channelId: a.channelId,
    serviceUrl: a.serviceUrl,
    conversation: {
      id: conversation.id,
      isGroup: conversation.isGroup ?? false,
      conversationType: conversation.conversationType ?? "personal",
      name: "",
      ...(conversation.tenantId === undefined ? {} : { tenantId: conversation.tenantId }),
    },
    // The activity's recipient is the bot; the sender (when there is one) is the customer.
    bot: { id: a.recipient.id, name: a.recipient.name ?? "" },
    ...(a.from ? { user: { id: a.from.id, name: a.from.name ?? "" } } : {}),
    ...(a.locale === undefined ? {} : { locale: a.locale }),
  };
}

/**
 * Reads an activity as the Bot Framework Service (or the Emulator) posts it.
 * Throws `MalformedActivityError` when it is not one.
 *
 * - `message`: its text, or the payload of a button or card submit in `value`
 *   (a postback); a submit without a payload, or an attachment without text,
 *   is `unsupported` (answered, and the step asked again); an empty message
 *   is ignored.
 * - `invoke` named `adaptiveCard/action` (`Action.Execute`): `execute`, its
 *   data's payload (or verb) a postback.
 * - `conversationUpdate`: a `welcome` when someone other than the bot joins.
 * - everything else (typing, messageReaction, invoke, event…) is ignored.
 */
export function readActivity(body: unknown): BotFrameworkActivity {
  const parsed = activity.safeParse(body);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${i.path.map(String).join(".") || "body"}: ${i.message}`).join("; ");
    throw new MalformedActivityError(`not a Bot Framework activity (${details})`);
  }
  const a = parsed.data;
  const id = a.id;
  if (a.conversation.isGroup) return { kind: "ignored", id, reason: `a ${a.type} in a group conversation (Kiosk serves one customer per conversation)` };
  const longLocale = overLimit("locale", a.locale, MAX_ACTIVITY_LOCALE, "characters");
  if (longLocale) return { kind: "ignored", id, reason: describeOverLimit("Kiosk's Bot Framework", longLocale), overLimit: longLocale };
  const common = {
    id,
    channelId: a.channelId,
    customerId: customerId(a.channelId, a.conversation.id),
    ...(a.locale ? { locale: a.locale } : {}),
    reference: referenceOf(a),
  };
  if (a.type === "message") {
    if (a.from?.role === "bot") return { kind: "ignored", id, reason: "a message from a bot" };
    const payload = payloadOf(a.value);
    const over = firstOver(
      overLimit("text", a.text, MAX_ACTIVITY_TEXT, "characters"),
      overLimit("value.payload", payload, MAX_ACTIVITY_PAYLOAD, "characters"),
    );
    if (over) return { kind: "ignored", id, reason: describeOverLimit("Kiosk's Bot Framework", over), overLimit: over };
    if (payload !== undefined) return { kind: "message", ...common, input: { kind: "postback", payload } };
    const text = a.text?.trim() ?? "";
    if (text !== "") return { kind: "message", ...common, input: { kind: "text", text } };
    // Answered, not ignored: the customer is told, and the step asked again.
    if (a.value !== undefined) return { kind: "message", ...common, input: { kind: "unsupported", what: "empty" } };
    if ((a.attachments ?? []).some(sentAttachment)) return { kind: "message", ...common, input: { kind: "unsupported", what: "media" } };
    return { kind: "ignored", id, reason: "a message without text" };
  }
  if (a.type === "invoke" && a.name === CARD_ACTION_INVOKE) {
    const payload = executePayload(a.value);
    return { kind: "execute", ...common, input: payload === undefined ? { kind: "unsupported", what: "empty" } : { kind: "postback", payload } };
  }
  if (a.type === "conversationUpdate") {
    const joined = (a.membersAdded ?? []).filter((m) => m.id !== a.recipient.id);
    if (joined.length === 0) return { kind: "ignored", id, reason: "a conversation update in which no customer joined" };
    const user = joined[0];
    // The customer is the member who joined; there is no `from` user to reply to otherwise.
    const reference = { ...common.reference, ...(user ? { user: { id: user.id, name: user.name ?? "" } } : {}) };
    return { kind: "welcome", ...common, reference };
  }
  return { kind: "ignored", id, reason: `activity type '${a.type}' is not handled` };
}
