/**
 * Telegram rendering end to end: a category as one photo message paged by
 * editing it in place, photos uploaded once then sent by file_id, a card sent
 * as text when its photo is refused, and a keyboard taken off once pressed.
 */
import { describe, expect, it } from "vitest";
import { useFakeBotApi, type FakeBotApi } from "./fakes/telegram-bot-api.ts";
import { useHarness, waitFor } from "./helpers.ts";
import { Chat, startTelegram } from "./telegram-harness.ts";

describe("Telegram rendering: photos, pages edited in place, buttons taken off once pressed", () => {
  const harness = useHarness();
  let fake: FakeBotApi;
  useFakeBotApi((started) => (fake = started));

  type Photo = Array<{ file_id: string }>;
  const keysOf = (params: Record<string, unknown> | undefined) => Chat.keys(params);

  it("shows a category as one photo message with page buttons; › edits it to the next product, whose button adds that product", async () => {
    const telegram = await startTelegram(harness, fake);
    const alice = telegram.chat("cafe", 1111111);
    const address = { botId: "cafe", channel: "telegram", userId: "1111111" };
    await alice.send("/start");
    await alice.press("Drinks");
    const [photo, ...more] = alice.calls("sendPhoto");
    expect(more).toEqual([]);
    // Uploaded from the bot's folder, with the card as an HTML caption.
    expect(photo?.files).toEqual(["espresso.jpg"]);
    expect(photo?.params).toMatchObject({ photo: "espresso.jpg", caption: "<b>Espresso</b>\n€2.50", parse_mode: "HTML" });
    expect(keysOf(photo?.params).map((k) => k.text)).toEqual(["Add", "‹", "1/3", "›", "Back"]);
    expect(keysOf(photo?.params).every((k) => Buffer.byteLength(k.callback_data) <= 64)).toBe(true);
    // The other products are not sent as messages of their own.
    expect(alice.texts().some((t) => t.includes("Latte"))).toBe(false);

    const rows = (await telegram.server.store.conversationOutbox(address)).length;
    const paged = await alice.press("›");
    expect(paged).toBe(photo?.messageId);
    const edit = alice.calls("editMessageMedia").at(-1);
    expect(edit?.params).toMatchObject({ message_id: paged, media: { type: "photo", media: "latte.jpg", caption: "<b>Latte</b>\n€3.20", parse_mode: "HTML" } });
    expect(edit?.files).toEqual(["latte.jpg"]);
    expect(keysOf(edit?.params).map((k) => k.text)).toEqual(["Add", "‹", "2/3", "›", "Back"]);
    // No turn ran: nothing new in the outbox; the press was answered.
    expect(await telegram.server.store.conversationOutbox(address)).toHaveLength(rows);
    expect(fake.accepted("answerCallbackQuery")).toHaveLength(2);

    // The Add button on page 2 is the latte's.
    await alice.press("Add");
    expect(alice.texts().at(-1)).toBe("How many Latte? (1–10)");
  });

  it("uploads a product photo once and sends its file_id after", async () => {
    const telegram = await startTelegram(harness, fake);
    const alice = telegram.chat("cafe", 1111111);
    await alice.send("/start");
    await alice.press("Drinks");
    await alice.send("menu");
    await alice.press("Drinks");
    const [first, second] = alice.calls("sendPhoto");
    expect(first?.files).toEqual(["espresso.jpg"]);
    const fileId = (fake.message(first?.messageId ?? 0)?.photo as Photo | undefined)?.at(-1)?.file_id;
    expect(fileId).toMatch(/^AgAC/);
    expect(second?.files).toEqual([]);
    expect(second?.params.photo).toBe(fileId);
    // The same for a page shown by an edit: uploaded the first time, its file_id the second.
    await alice.press("›");
    await alice.press("›");
    await alice.press("›");
    await alice.press("›");
    const edits = alice.calls("editMessageMedia").map((c) => ({ media: (c.params.media as { media: string }).media, files: c.files }));
    expect(edits.slice(0, 3)).toEqual([
      { media: "latte.jpg", files: ["latte.jpg"] },
      { media: "cappuccino.jpg", files: ["cappuccino.jpg"] },
      { media: fileId, files: [] },
    ]);
    expect(edits[3]?.files).toEqual([]);
  });

  it("sends the card as text when Telegram refuses its photo, and pages it as text", async () => {
    const telegram = await startTelegram(harness, fake);
    const alice = telegram.chat("cafe", 1111111);
    const address = { botId: "cafe", channel: "telegram", userId: "1111111" };
    await alice.send("/start");
    fake.fail({ times: 1, status: 400, methods: ["sendPhoto"] });
    await alice.press("Drinks");
    expect(fake.calls.filter((c) => c.method === "sendPhoto").map((c) => c.status)).toEqual([400]);
    const card = alice.calls("sendMessage").at(-1);
    expect(card?.params.text).toBe("<b>Espresso</b>\n€2.50");
    expect(keysOf(card?.params).map((k) => k.text)).toEqual(["Add", "‹", "1/3", "›", "Back"]);
    expect((await telegram.server.store.conversationOutbox(address)).every((r) => r.sentAt !== null)).toBe(true);

    await alice.press("‹");
    expect(alice.calls("editMessageText").at(-1)?.params).toMatchObject({ message_id: card?.messageId, text: "<b>Cappuccino</b>\n€3.00", parse_mode: "HTML" });
    expect(alice.calls("editMessageMedia")).toEqual([]);
  });

  it("takes the keyboard off a message once one of its buttons was pressed, writing what was chosen", async () => {
    const telegram = await startTelegram(harness, fake);
    const alice = telegram.chat("cafe", 1111111);
    await alice.send("/start");
    const pressed = await alice.press("Drinks");
    await waitFor("the edit of the pressed message", () => alice.calls("editMessageText").some((c) => c.params.message_id === pressed));
    const edit = alice.calls("editMessageText").find((c) => c.params.message_id === pressed);
    expect(edit?.params.text).toMatch(/\n\n✓ Drinks$/);
    expect(edit?.params.reply_markup).toBeUndefined();
    expect(Chat.keys(fake.message(pressed))).toEqual([]);
    // Turning a page is not a choice: the carousel keeps its buttons.
    await alice.press("›");
    const carousel = alice.calls("sendPhoto")[0]?.messageId;
    expect(Chat.keys(fake.message(carousel ?? 0)).length).toBeGreaterThan(0);
    expect(alice.calls("editMessageCaption")).toEqual([]);
  });
});
