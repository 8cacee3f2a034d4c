import { z } from 'zod';
import { makeStorable, rawOfUnstorable } from '../../handlers/inbox/index.js';
import {
  type EdgeOutcome,
  issuesOf,
  latitude,
  longitude,
  longText,
  platformId,
  positiveId,
  shortText,
  unixTime,
} from '../edge/fields.js';

const user = z.looseObject({
  id: platformId,
  is_bot: z.boolean().optional(),
  first_name: shortText.optional(),
  last_name: shortText.optional(),
  username: shortText.optional(),
});
const chat = z.looseObject({ id: platformId, type: z.string().max(32), title: shortText.optional() });
const entity = z.looseObject({ type: z.string().max(64), offset: positiveId, length: positiveId });
const file = z.looseObject({ file_id: z.string().max(1_024), file_unique_id: z.string().max(1_024).optional() });

/** A message as far as intake reads it; a reply or a pinned message inside it is checked the same way. */
const messageFields = {
  message_id: positiveId,
  date: unixTime,
  edit_date: unixTime.optional(),
  chat,
  from: user.optional(),
  sender_chat: chat.optional(),
  text: longText.optional(),
  caption: longText.optional(),
  entities: z.array(entity).max(10_000).optional(),
  caption_entities: z.array(entity).max(10_000).optional(),
  photo: z.array(file).max(100).optional(),
  voice: file.optional(),
  video: file.optional(),
  document: file.optional(),
  audio: file.optional(),
  sticker: file.optional(),
  location: z.looseObject({ latitude, longitude }).optional(),
  message_thread_id: positiveId.optional(),
  is_automatic_forward: z.boolean().optional(),
  media_group_id: z.string().max(256).optional(),
};
const innerMessage = z.looseObject(messageFields);
const message = z.looseObject({
  ...messageFields,
  reply_to_message: innerMessage.optional(),
  pinned_message: innerMessage.optional(),
});

const update = z.looseObject({
  update_id: positiveId,
  message: message.optional(),
  edited_message: message.optional(),
  channel_post: message.optional(),
  edited_channel_post: message.optional(),
  callback_query: z
    .looseObject({
      id: z.string().max(256),
      from: user,
      data: z.string().max(256).optional(),
      // An old message may come as an InaccessibleMessage (date 0); the emulator sends only some fields.
      message: z
        .looseObject({
          message_id: positiveId.optional(),
          chat: chat.optional(),
          date: z.number().int().min(0).max(4_102_444_800).optional(),
        })
        .optional(),
    })
    .optional(),
  my_chat_member: z
    .looseObject({
      chat,
      from: user,
      date: unixTime,
      new_chat_member: z.looseObject({ status: z.string().max(32), user }),
      old_chat_member: z.looseObject({ status: z.string().max(32), user }).optional(),
    })
    .optional(),
});

type TelegramUpdate = z.infer<typeof update>;

/**
 * Checks a Telegram update at the edge: storable (valid text, bounded nesting) and shaped as the
 * Bot API documents the parts intake reads. The lane is the chat, so a chat's updates are decided
 * in order (consent before the message, a message before its edit).
 */
export function checkTelegramUpdate(value: unknown): EdgeOutcome {
  const storable = makeStorable(value);
  if (!storable.ok) return { ok: false, reason: storable.reason, raw: rawOfUnstorable(value) };
  const parsed = update.safeParse(storable.value);
  if (!parsed.success) return { ok: false, reason: `not_an_update: ${issuesOf(parsed.error)}`, raw: storable.value };
  return { ok: true, eventId: String(parsed.data.update_id), lane: laneOf(parsed.data), payload: storable.value };
}

function laneOf(u: TelegramUpdate): string {
  const chatId =
    u.message?.chat.id ??
    u.edited_message?.chat.id ??
    u.channel_post?.chat.id ??
    u.edited_channel_post?.chat.id ??
    u.callback_query?.message?.chat?.id ??
    u.my_chat_member?.chat.id;
  if (chatId !== undefined) return `chat:${chatId}`;
  if (u.callback_query) return `user:${u.callback_query.from.id}`;
  return `update:${u.update_id}`;
}
