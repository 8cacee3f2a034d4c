import { createHash } from 'node:crypto';
import { z } from 'zod';
import { makeStorable, rawOfUnstorable } from '../../handlers/inbox/index.js';
import { type EdgeOutcome, issuesOf, latitude, longitude, longText, platformId, unixTime } from '../edge/fields.js';

const attachment = z.looseObject({ type: z.string().max(64) });
const attachments = z.array(attachment).max(100).optional();

/** What the handled event types carry; other types pass with their envelope checked only. */
const message = z.looseObject({
  id: platformId.optional(),
  conversation_message_id: platformId.optional(),
  peer_id: platformId,
  from_id: platformId,
  date: unixTime,
  text: longText.optional(),
  payload: z.string().max(4_096).optional(),
  attachments,
  geo: z.looseObject({ coordinates: z.looseObject({ latitude, longitude }).optional() }).optional(),
});
const comment = z.looseObject({
  id: platformId,
  from_id: platformId.optional(),
  date: unixTime.optional(),
  text: longText.optional(),
  attachments,
});
const objects: Record<string, z.ZodType> = {
  message_new: z.looseObject({ message, client_info: z.looseObject({}).optional() }),
  wall_reply_new: comment.extend({ post_id: platformId, owner_id: platformId.optional() }),
  wall_reply_edit: comment.extend({ post_id: platformId, owner_id: platformId.optional() }),
  wall_reply_delete: z.looseObject({ id: platformId, post_id: platformId, owner_id: platformId.optional() }),
  wall_post_new: comment.extend({ owner_id: platformId.optional(), post_type: z.string().max(32).optional() }),
  board_post_new: comment,
  board_post_edit: comment,
  photo_comment_new: comment,
  video_comment_new: comment,
  market_comment_new: comment,
};
const envelope = z.looseObject({
  type: z.string().min(1).max(64),
  group_id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  event_id: z.string().max(128).optional(),
  object: z.looseObject({}).optional(),
});

/**
 * Checks a VK event at the edge (Callback API body or a long-poll update): storable, and shaped as
 * VK documents the parts intake reads. The lane is the conversation or the wall post.
 */
export function checkVkEvent(value: unknown): EdgeOutcome {
  // The secret proves nothing once checked, and is not kept anywhere: not in the inbox, not in a
  // dead letter an operator reads.
  const withoutSecret =
    value && typeof value === 'object' && !Array.isArray(value) && 'secret' in value
      ? Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'secret'))
      : value;
  const storable = makeStorable(withoutSecret);
  if (!storable.ok) return { ok: false, reason: storable.reason, raw: rawOfUnstorable(withoutSecret) };
  const payload = storable.value;
  const parsed = envelope.safeParse(payload);
  if (!parsed.success) return { ok: false, reason: `not_an_event: ${issuesOf(parsed.error)}`, raw: payload };
  const event = parsed.data;
  const schema = objects[event.type];
  if (schema) {
    const object = schema.safeParse(event.object ?? {});
    if (!object.success) return { ok: false, reason: `${event.type}: ${issuesOf(object.error)}`, raw: payload };
  }
  const eventId = event.event_id ?? `sha256:${createHash('sha256').update(JSON.stringify(payload)).digest('hex')}`;
  return { ok: true, eventId, lane: laneOf(event.type, event.object ?? {}, eventId, event.group_id), payload };
}

function laneOf(type: string, object: Record<string, unknown>, eventId: string, groupId: number): string {
  const o = object as {
    message?: { peer_id?: number };
    id?: number;
    post_id?: number;
    owner_id?: number;
    post_owner_id?: number;
    peer_id?: number;
  };
  if (type === 'message_new') return `peer:${o.message?.peer_id}`;
  // A post and the comments under it share a lane: the post is stored (as context) before them.
  const owner = o.owner_id ?? o.post_owner_id ?? -groupId;
  if (type.startsWith('wall_reply')) return `wall:${owner}_${o.post_id}`;
  if (type === 'wall_post_new') return `wall:${owner}_${o.id}`;
  if (typeof o.peer_id === 'number') return `peer:${o.peer_id}`;
  return `event:${eventId}`;
}
