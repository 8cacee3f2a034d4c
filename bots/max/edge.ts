import { z } from 'zod';
import { makeStorable, rawOfUnstorable } from '../../handlers/inbox/index.js';
import { type EdgeOutcome, issuesOf, latitude, longitude, longText, platformId, shortText } from '../edge/fields.js';
import { type MaxUpdate, maxEventId } from './translate.js';

/** MAX times are milliseconds: between 2000 and 2100. */
const msTime = z.number().int().min(946_684_800_000).max(4_102_444_800_000);
const mid = z.string().min(1).max(256);

const user = z.looseObject({
  user_id: platformId,
  name: shortText.nullable().optional(),
  first_name: shortText.nullable().optional(),
  last_name: shortText.nullable().optional(),
  username: z.string().max(256).nullable().optional(),
  is_bot: z.boolean().optional(),
});
const attachment = z.looseObject({
  type: z.string().max(64),
  latitude: latitude.optional(),
  longitude: longitude.optional(),
});
const message = z.looseObject({
  sender: user.nullable().optional(),
  recipient: z.looseObject({ chat_id: platformId, chat_type: z.string().max(32), user_id: platformId.nullable().optional() }),
  timestamp: msTime,
  body: z.looseObject({
    mid,
    seq: z.number().optional(),
    text: longText.nullable().optional(),
    attachments: z.array(attachment).max(100).nullable().optional(),
  }),
  link: z
    .looseObject({ type: z.string().max(32).optional() })
    .nullable()
    .optional(),
  url: z.string().max(2_048).nullable().optional(),
});
const chatEvent = z.looseObject({ chat_id: platformId, user, is_channel: z.boolean().optional() });

/** What the handled update types carry; other types pass with their envelope checked only. */
const bodies: Record<string, z.ZodType> = {
  message_created: z.looseObject({ message }),
  message_edited: z.looseObject({ message }),
  message_removed: z.looseObject({ message_id: mid, chat_id: platformId, user_id: platformId.optional() }),
  message_callback: z.looseObject({
    callback: z.looseObject({
      timestamp: msTime,
      callback_id: z.string().min(1).max(256),
      payload: z.string().max(1_024).nullable().optional(),
      user,
    }),
    message: message.nullable().optional(),
  }),
  // MAX passes a deep link's payload of up to 512 characters.
  bot_started: chatEvent.extend({ payload: z.string().max(512).nullable().optional() }),
  bot_added: chatEvent,
};
const envelope = z.looseObject({ update_type: z.string().min(1).max(64), timestamp: msTime });

/**
 * Checks a MAX update at the edge (a webhook body or an item of `GET /updates`): storable, and shaped
 * as MAX's schema documents the parts we read. The lane is the chat, so a dialog's messages, presses
 * and start are decided in order.
 */
export function checkMaxUpdate(value: unknown): EdgeOutcome {
  const storable = makeStorable(value);
  if (!storable.ok) return { ok: false, reason: storable.reason, raw: rawOfUnstorable(value) };
  const payload = storable.value;
  const parsed = envelope.safeParse(payload);
  if (!parsed.success) return { ok: false, reason: `not_an_update: ${issuesOf(parsed.error)}`, raw: payload };
  const update = parsed.data as MaxUpdate;
  const schema = bodies[update.update_type];
  if (schema) {
    const body = schema.safeParse(update);
    if (!body.success) return { ok: false, reason: `${update.update_type}: ${issuesOf(body.error)}`, raw: payload };
  }
  const eventId = maxEventId(update);
  return { ok: true, eventId, lane: laneOf(update, eventId), payload };
}

function laneOf(update: MaxUpdate, eventId: string): string {
  const u = update as {
    chat_id?: unknown;
    message?: { recipient?: { chat_id?: unknown } } | null;
    callback?: { user?: { user_id?: unknown } };
  };
  const chat = u.message?.recipient?.chat_id ?? u.chat_id;
  if (typeof chat === 'number') return `chat:${chat}`;
  // A press under a message MAX no longer has: the person's own lane.
  const user = u.callback?.user?.user_id;
  if (typeof user === 'number') return `user:${user}`;
  return `event:${eventId}`;
}
