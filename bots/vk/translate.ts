import type { Attachment, IncomingMessage, MessageKind, SourceKind } from '../../models/intake.js';

/** A VK community event as the Callback API and Bots Long Poll deliver it. */
export interface VkEvent {
  type: string;
  event_id?: string;
  group_id: number;
  v?: string;
  secret?: string;
  object?: Record<string, unknown>;
}

type Obj = Record<string, unknown>;

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Raised when an event of a handled type lacks the fields VK documents for it. */
export class MalformedVkEvent extends Error {
  override name = 'MalformedVkEvent';
}

/** Event types intake handles; anything else is counted and ignored. */
export const HANDLED_VK_EVENTS = [
  'message_new',
  'wall_reply_new',
  'wall_reply_edit',
  'wall_reply_delete',
  'wall_post_new',
  'board_post_new',
  'board_post_edit',
  'photo_comment_new',
  'video_comment_new',
  'market_comment_new',
] as const;

/**
 * Translates a VK event into the neutral IncomingMessage; null for types intake does not handle.
 * The community's own posts and replies are stored as context and never open a case.
 */
export function translateVkEvent(event: VkEvent): IncomingMessage | null {
  const object = event.object ?? {};
  const group = event.group_id;
  const community = { externalId: String(-group), kind: 'official_community' as SourceKind, title: null, official: true };
  const base = { channel: 'vk' as const, eventId: event.event_id ?? null, raw: event };

  switch (event.type) {
    case 'message_new': {
      const m = (object.message ?? object) as Obj;
      const peer = num(m.peer_id);
      const from = num(m.from_id);
      const id = num(m.id);
      const cmid = num(m.conversation_message_id);
      if (peer === undefined || from === undefined || (id === undefined && cmid === undefined))
        throw new MalformedVkEvent('message_new without peer_id/from_id/id');
      const geo = m.geo as { coordinates?: { latitude?: number; longitude?: number } } | undefined;
      const lat = num(geo?.coordinates?.latitude);
      const lon = num(geo?.coordinates?.longitude);
      return {
        ...base,
        source: { externalId: String(peer), kind: 'private', title: null, official: false },
        externalId: id ? `msg:${id}` : `cmid:${cmid}`,
        kind: 'private',
        action: 'new',
        author: from > 0 ? { externalId: String(from) } : null,
        text: str(m.text),
        attachments: [...attachmentsOf(m.attachments), ...(lat !== undefined ? [{ type: 'location' as const }] : [])],
        geo: lat !== undefined && lon !== undefined ? { lat, lon } : null,
        permalink: null,
        thread: null,
        platformIds: {
          event_id: event.event_id ?? '',
          peer_id: peer,
          ...(id ? { message_id: id } : {}),
          ...(cmid ? { conversation_message_id: cmid } : {}),
        },
        platformAt: dateOf(m.date),
        opensCase: true,
      };
    }
    case 'wall_reply_new':
    case 'wall_reply_edit':
    case 'wall_reply_delete': {
      const owner = num(object.owner_id) ?? num(object.post_owner_id) ?? -group;
      const post = num(object.post_id);
      const id = num(object.id);
      if (post === undefined || id === undefined) throw new MalformedVkEvent(`${event.type} without post_id/id`);
      const from = num(object.from_id) ?? num(object.deleter_id);
      const replyTo = num(object.reply_to_comment);
      return {
        ...base,
        source: community,
        externalId: `wall:${owner}_${post}:${id}`,
        kind: 'comment',
        action: event.type === 'wall_reply_new' ? 'new' : event.type === 'wall_reply_edit' ? 'edit' : 'delete',
        author: event.type !== 'wall_reply_delete' && from && from > 0 ? { externalId: String(from) } : null,
        text: str(object.text),
        attachments: attachmentsOf(object.attachments),
        geo: null,
        permalink: `https://vk.com/wall${owner}_${post}?reply=${id}`,
        thread: { postId: String(post), ...(replyTo ? { commentId: String(replyTo) } : {}) },
        platformIds: {
          event_id: event.event_id ?? '',
          owner_id: owner,
          post_id: post,
          comment_id: id,
          ...(from ? { from_id: from } : {}),
        },
        platformAt: dateOf(object.date),
        opensCase: (from ?? 0) > 0,
      };
    }
    case 'wall_post_new': {
      const owner = num(object.owner_id) ?? -group;
      const id = num(object.id);
      if (id === undefined) throw new MalformedVkEvent('wall_post_new without id');
      const from = num(object.from_id) ?? owner;
      const suggested = object.post_type === 'suggest';
      const kind: MessageKind = suggested ? 'suggested_post' : 'post';
      return {
        ...base,
        source: community,
        externalId: `post:${owner}_${id}`,
        kind,
        action: 'new',
        author: from > 0 ? { externalId: String(from) } : null,
        text: str(object.text),
        attachments: attachmentsOf(object.attachments),
        geo: null,
        permalink: `https://vk.com/wall${owner}_${id}`,
        thread: null,
        platformIds: { event_id: event.event_id ?? '', owner_id: owner, post_id: id, from_id: from },
        platformAt: dateOf(object.date),
        // The community's own post is context for the comments under it; a citizen's suggested post is a message.
        opensCase: suggested || from > 0,
      };
    }
    case 'board_post_new':
    case 'board_post_edit':
    case 'photo_comment_new':
    case 'video_comment_new':
    case 'market_comment_new': {
      const id = num(object.id);
      const from = num(object.from_id);
      if (id === undefined) throw new MalformedVkEvent(`${event.type} without id`);
      const { key, permalink, ids } = placeOf(event.type, object, group);
      return {
        ...base,
        source: community,
        externalId: `${key}:${id}`,
        kind: event.type.startsWith('board') ? 'board_post' : 'comment',
        action: event.type === 'board_post_edit' ? 'edit' : 'new',
        author: from && from > 0 ? { externalId: String(from) } : null,
        text: str(object.text),
        attachments: attachmentsOf(object.attachments),
        geo: null,
        permalink,
        thread: null,
        platformIds: { event_id: event.event_id ?? '', comment_id: id, ...ids, ...(from ? { from_id: from } : {}) },
        platformAt: dateOf(object.date),
        opensCase: (from ?? 0) > 0,
      };
    }
    default:
      return null;
  }
}

function placeOf(type: string, o: Obj, group: number): { key: string; permalink: string; ids: Record<string, number> } {
  if (type.startsWith('board')) {
    const topic = num(o.topic_id) ?? 0;
    const owner = num(o.topic_owner_id) ?? -group;
    return {
      key: `board:${topic}`,
      permalink: `https://vk.com/topic${owner}_${topic}?post=${num(o.id)}`,
      ids: { topic_id: topic, owner_id: owner },
    };
  }
  if (type === 'photo_comment_new') {
    const owner = num(o.photo_owner_id) ?? -group;
    const photo = num(o.photo_id) ?? 0;
    return {
      key: `photo:${owner}_${photo}`,
      permalink: `https://vk.com/photo${owner}_${photo}`,
      ids: { owner_id: owner, photo_id: photo },
    };
  }
  if (type === 'video_comment_new') {
    const owner = num(o.video_owner_id) ?? -group;
    const video = num(o.video_id) ?? 0;
    return {
      key: `video:${owner}_${video}`,
      permalink: `https://vk.com/video${owner}_${video}`,
      ids: { owner_id: owner, video_id: video },
    };
  }
  const owner = num(o.market_owner_id) ?? -group;
  const item = num(o.item_id) ?? 0;
  return {
    key: `market:${owner}_${item}`,
    permalink: `https://vk.com/product${owner}_${item}`,
    ids: { owner_id: owner, item_id: item },
  };
}

function attachmentsOf(value: unknown): Attachment[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((a: Obj): Attachment[] => {
    const type = str(a.type);
    const body = (a[type] ?? {}) as Obj;
    const key = num(body.owner_id) !== undefined && num(body.id) !== undefined ? `${type}${body.owner_id}_${body.id}` : undefined;
    const known: Record<string, Attachment['type']> = {
      photo: 'photo',
      doc: 'document',
      audio_message: 'voice',
      video: 'video',
      audio: 'audio',
      sticker: 'sticker',
      link: 'link',
    };
    return [
      {
        type: known[type] ?? 'other',
        ...(key ? { fileId: key } : {}),
        ...(typeof body.title === 'string' ? { name: body.title } : {}),
      },
    ];
  });
}

function dateOf(v: unknown): Date {
  const seconds = num(v);
  return seconds ? new Date(seconds * 1000) : new Date();
}
