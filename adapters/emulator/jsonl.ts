import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { z } from "zod";
import { overLimit } from "../limits.ts";
import type { Envelope, OutboundMessage } from "../../core/message.ts";
import type { Emulator } from "./emulator.ts";

const user = z.string().min(1).max(128);
const line = z.union([
  // Characters as Telegram counts them (an emoji is one).
  z.strictObject({ user, text: z.string().refine((t) => overLimit("text", t, 4096, "characters") === undefined, { error: "text is at most 4096 characters" }) }),
  z.strictObject({ user, press: z.string().min(1).max(512) }),
  z.strictObject({ user, pay: z.enum(["succeed", "decline"]) }),
  /** The customer's own contact shared from a share button; `own: false` for someone else's card. */
  z.strictObject({ user, contact: z.string().min(1).max(64), own: z.boolean().optional() }),
  z.strictObject({ user, location: z.strictObject({ latitude: z.number(), longitude: z.number() }) }),
  z.strictObject({ advance: z.string().min(1).max(64) }),
]);

export type JsonlInput = z.infer<typeof line>;

const MAX_LINE_BYTES = 64 * 1024;

/** The protocol's view of a message: keys absent when empty. */
export function toJsonl(envelope: Pick<Envelope, "userId" | "message">): Record<string, unknown> {
  const m: OutboundMessage = envelope.message;
  const out: Record<string, unknown> = { to: envelope.userId };
  if (m.text) out.text = m.text;
  if (m.buttons?.length) out.buttons = m.buttons.map((b) => ({ label: b.label, payload: b.payload }));
  if (m.cards?.length) {
    out.cards = m.cards.map((c) => ({
      title: c.title,
      ...(c.subtitle ? { subtitle: c.subtitle } : {}),
      ...(c.price ? { price: { amount: c.price.amount, currency: c.price.currency } } : {}),
      ...(c.buttons?.length ? { buttons: c.buttons.map((b) => ({ label: b.label, payload: b.payload })) } : {}),
    }));
  }
  if (m.invoice) {
    const { order, title, amount, currency } = m.invoice;
    out.invoice = { order, title, amount, currency };
  }
  if (m.request) out.request = { kind: m.request.kind, label: m.request.label };
  return out;
}

function describeProblem(error: z.ZodError): string {
  return "expected one of {user,text}, {user,press}, {user,pay:\"succeed\"|\"decline\"}, {user,contact:phone}, {user,location:{latitude,longitude}} or {advance:ISO-duration}: " +
    error.issues.map((i) => `${i.path.join(".") || "line"}: ${i.message}`).join("; ");
}

/** Parses one protocol line; throws an Error whose message says what is wrong. */
export function parseJsonlLine(text: string): JsonlInput {
  if (Buffer.byteLength(text) > MAX_LINE_BYTES) throw new Error(`line is over ${MAX_LINE_BYTES} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error("line is not valid JSON");
  }
  const parsed = line.safeParse(value);
  if (!parsed.success) throw new Error(describeProblem(parsed.error));
  return parsed.data;
}

async function run(emulator: Emulator, input: JsonlInput): Promise<void> {
  if ("advance" in input) {
    await emulator.advance(input.advance);
    return;
  }
  const customer = emulator.customer(input.user);
  if ("text" in input) await customer.send(input.text);
  else if ("press" in input) await customer.press(input.press);
  else if ("contact" in input) await customer.shareContact(input.contact, input.own === undefined ? {} : { own: input.own });
  else if ("location" in input) await customer.shareLocation(input.location.latitude, input.location.longitude);
  else await customer.pay(input.pay);
}

/**
 * Speaks the JSON-lines protocol: one request per input line, handled in
 * order; one line per outbound message; `{"done":N}` after each request.
 * Resolves at end of input, once every reply is written.
 */
export async function runJsonl(emulator: Emulator, input: Readable, output: Writable): Promise<void> {
  const write = (value: unknown) => {
    output.write(`${JSON.stringify(value)}\n`);
  };
  const unsubscribe = emulator.channel.onMessage((envelope) => write(toJsonl(envelope)));
  let n = 0;
  try {
    for await (const text of createInterface({ input, crlfDelay: Infinity })) {
      n += 1;
      try {
        await run(emulator, parseJsonlLine(text));
      } catch (error) {
        write({ error: error instanceof Error ? error.message : String(error) });
      }
      write({ done: n });
    }
  } finally {
    unsubscribe();
  }
}
