import type { Api } from "grammy";
import type { MessageEntity as BotApiEntity } from "grammy/types";
import { MAX_TEXT } from "./html.ts";
import { MAX_CAPTION } from "./render.ts";
import type { PressedMessage } from "./updates.ts";

/**
 * After a button press was handled: takes the keyboard off the message
 * whose button was pressed, so none of its buttons can be pressed again,
 * and writes what was chosen under it ("✓ Latte"). The text (or caption)
 * goes back with the entities Telegram reported, so its formatting stays;
 * when there is no label or text to add to, only the keyboard is removed.
 * Invoices are left as they are. Cosmetic: the caller does not wait for
 * it, and logs a failure.
 */
export async function markChosen(api: Api, chatId: string, message: PressedMessage, data: string): Promise<void> {
  if (message.invoice) return;
  const label = message.buttons.find((b) => b.callback_data === data)?.text;
  const text = message.text;
  if (label !== undefined && text !== undefined) {
    const marked = `${text}\n\n✓ ${label}`;
    // Passed back as Telegram gave them: its own entity objects.
    const entities = [...message.entities] as unknown as BotApiEntity[];
    if (message.photo && marked.length <= MAX_CAPTION) {
      await api.editMessageCaption(chatId, message.messageId, { caption: marked, caption_entities: entities });
      return;
    }
    if (!message.photo && marked.length <= MAX_TEXT) {
      await api.editMessageText(chatId, message.messageId, marked, { entities, link_preview_options: { is_disabled: true } });
      return;
    }
  }
  await api.editMessageReplyMarkup(chatId, message.messageId);
}
