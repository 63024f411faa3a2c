import { describe, expect, it } from "vitest";
import { renderEnvelope } from "./render.ts";
import { replyMarkupOf } from "./reply-markup.ts";
import { readUpdate } from "./updates.ts";

const envelope = (message: object) => ({ id: 7, botId: "b", channel: "telegram", userId: "42", message });

describe("share buttons on Telegram", () => {
  it("puts the share button on the last text message, and its removal on the first one without inline buttons", () => {
    expect(renderEnvelope(envelope({ text: "Your number?", request: { kind: "contact", label: "Share <mine>" } }))).toEqual([
      { method: "sendMessage", text: "Your number?", reply: { share: "contact", label: "Share <mine>" } },
    ]);
    // No text to hang it on: the label itself is the message.
    expect(renderEnvelope(envelope({ request: { kind: "location", label: "Share <here>" } }))).toEqual([
      { method: "sendMessage", text: "Share &lt;here&gt;", reply: { share: "location", label: "Share <here>" } },
    ]);
    expect(renderEnvelope(envelope({ text: "Thanks!", endsRequest: true }))).toEqual([{ method: "sendMessage", text: "Thanks!", reply: { remove: true } }]);
    const withButtons = renderEnvelope(envelope({ text: "When?", buttons: [{ label: "Today", payload: "today" }], endsRequest: true }));
    expect(withButtons.map((c) => (c.method === "sendMessage" ? [c.text, c.reply, c.keyboard?.length] : c.method))).toEqual([
      ["✓", { remove: true }, undefined],
      ["When?", undefined, 1],
    ]);
  });

  it("writes the Bot API reply_markup: one-time resized keyboard with one request button, or a removal", () => {
    expect(replyMarkupOf({ share: "contact", label: "Share" })).toEqual({
      reply_markup: { keyboard: [[{ text: "Share", request_contact: true }]], one_time_keyboard: true, resize_keyboard: true },
    });
    expect(replyMarkupOf({ share: "location", label: "Here" })).toEqual({
      reply_markup: { keyboard: [[{ text: "Here", request_location: true }]], one_time_keyboard: true, resize_keyboard: true },
    });
    expect(replyMarkupOf({ remove: true })).toEqual({ reply_markup: { remove_keyboard: true } });
    expect(replyMarkupOf(undefined)).toEqual({});
  });

  it("reads a shared contact (own only when its user_id is the sender's) and a shared location", () => {
    const message = (extra: object) => ({ update_id: 1, message: { message_id: 5, date: 0, chat: { id: 42, type: "private" }, from: { id: 42, is_bot: false, first_name: "A", language_code: "fr" }, ...extra } });
    expect(readUpdate(message({ contact: { phone_number: "33612345678", first_name: "A", user_id: 42 } }))).toEqual({
      kind: "contact",
      updateId: 1,
      chatId: "42",
      locale: "fr",
      phone: "33612345678",
      own: true,
    });
    expect(readUpdate(message({ contact: { phone_number: "+1 555 0100", first_name: "B", user_id: 43 } }))).toMatchObject({ kind: "contact", own: false });
    expect(readUpdate(message({ contact: { phone_number: "+1 555 0100", first_name: "B" } }))).toMatchObject({ kind: "contact", own: false });
    expect(readUpdate(message({ location: { latitude: 48.85, longitude: 2.35, horizontal_accuracy: 12 } }))).toEqual({
      kind: "location",
      updateId: 1,
      chatId: "42",
      locale: "fr",
      latitude: 48.85,
      longitude: 2.35,
    });
  });
});
