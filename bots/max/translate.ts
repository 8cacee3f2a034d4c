import { createHash } from 'node:crypto';
import type { Attachment, Author, IncomingMessage, MessageKind, SourceKind } from '../../models/intake.js';

/**
 * A MAX Bot API `Update` as the webhook and `GET /updates` deliver it (schema 0.0.32): `update_type`,
 * `timestamp` (milliseconds) and the type's own fields. The edge check has verified the fields read here.
 */
export interface MaxUpdate {
  update_type: string;
  timestamp: number;
  [field: string]: unknown;
}

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const SNIPPET_LENGTH = 200;

/** Raised when an update of a handled type lacks the fields MAX documents for it. */
export class MalformedMaxUpdate extends Error {
  override name = 'MalformedMaxUpdate';
}

/** Update types the bot decides on; anything else is counted and ignored. */
export const HANDLED_MAX_UPDATES = [
  'message_created',
  'message_edited',
  'message_removed',
  'message_callback',
  'bot_started',
  'bot_added',
  'bot_stopped',
] as const;

/**
 * What we ask MAX for (polling `types`, the webhook's `update_types`): the handled types, and one we
 * only count, so a bot removed from a chat shows in the metrics.
 */
export const MAX_UPDATE_TYPES: readonly string[] = [...HANDLED_MAX_UPDATES, 'bot_removed'];

/**
 * The update's stable id, for the inbox and the event ledger: a second delivery of the same update
 * gives the same id. MAX numbers neither updates nor webhooks, so it is built from what identifies the
 * event: a message's mid (an edit: with its time), a press's callback_id, else the chat, the user and the time.
 */
export function maxEventId(update: MaxUpdate): string {
  const type = update.update_type;
  const body = obj(obj(update.message).body);
  if ((type === 'message_created' || type === 'message_edited') && str(body.mid)) {
    return type === 'message_created' ? `${type}:${str(body.mid)}` : `${type}:${str(body.mid)}:${update.timestamp}`;
  }
  if (type === 'message_removed' && str(update.message_id)) return `${type}:${str(update.message_id)}`;
  const callbackId = str(obj(update.callback).callback_id);
  if (type === 'message_callback' && callbackId) return `${type}:${callbackId}`;
  const chat = num(update.chat_id);
  const user = num(obj(update.user).user_id);
  if (chat !== undefined) return `${type}:${chat}:${user ?? ''}:${update.timestamp}`;
  return `sha256:${createHash('sha256').update(JSON.stringify(update)).digest('hex')}`;
}

/**
 * A message update (new, edited, removed) → the neutral IncomingMessage; null for every other type
 * (presses, starts and chat membership are decided in handle-update.ts). A dialog is a private chat;
 * a group chat is a city chat, captured silently once an operator approves it (as Telegram groups);
 * a channel's posts are the city's own, context that opens no case.
 */
export function translateMaxUpdate(update: MaxUpdate): IncomingMessage | null {
  switch (update.update_type) {
    case 'message_created':
    case 'message_edited':
      return messageOf(update);
    case 'message_removed':
      return removalOf(update);
    default:
      return null;
  }
}

function messageOf(update: MaxUpdate): IncomingMessage {
  const m = obj(update.message);
  const recipient = obj(m.recipient);
  const body = obj(m.body);
  const chatId = num(recipient.chat_id);
  const mid = str(body.mid);
  if (chatId === undefined || !mid) throw new MalformedMaxUpdate(`${update.update_type} without recipient.chat_id or body.mid`);
  const chatType = str(recipient.chat_type);
  const kind: MessageKind = chatType === 'dialog' ? 'private' : chatType === 'channel' ? 'channel_post' : 'chat';
  const { attachments, geo } = attachmentsOf(body.attachments);
  const link = obj(m.link);
  const linked = obj(link.message);
  const seq = num(body.seq);
  return {
    channel: 'max',
    eventId: maxEventId(update),
    source: sourceOf(chatId, kind),
    externalId: mid,
    kind,
    action: update.update_type === 'message_edited' ? 'edit' : 'new',
    author: authorOf(m.sender),
    text: str(body.text),
    attachments,
    geo,
    permalink: str(m.url) || null,
    thread:
      kind !== 'private' && link.type === 'reply' && str(linked.mid)
        ? { commentId: str(linked.mid), snippet: str(linked.text).slice(0, SNIPPET_LENGTH) }
        : null,
    platformIds: { chat_id: chatId, message_id: mid, ...(seq !== undefined ? { seq } : {}) },
    platformAt: dateOf(update.update_type === 'message_edited' ? update.timestamp : m.timestamp),
    raw: update,
    // The city's own channel posts are context, not cases.
    opensCase: kind !== 'channel_post',
  };
}

/**
 * A removal names the chat and the message only, not the kind of chat. MAX gives group chats
 * negative ids and dialogs positive ones; the kind matters only for a chat never seen before.
 */
function removalOf(update: MaxUpdate): IncomingMessage {
  const chatId = num(update.chat_id);
  const mid = str(update.message_id);
  if (chatId === undefined || !mid) throw new MalformedMaxUpdate('message_removed without chat_id or message_id');
  const kind: MessageKind = chatId < 0 ? 'chat' : 'private';
  const user = num(update.user_id);
  return {
    channel: 'max',
    eventId: maxEventId(update),
    source: sourceOf(chatId, kind),
    externalId: mid,
    kind,
    action: 'delete',
    author: user !== undefined ? { externalId: String(user) } : null,
    text: '',
    attachments: [],
    geo: null,
    permalink: null,
    thread: null,
    platformIds: { chat_id: chatId, message_id: mid },
    platformAt: dateOf(update.timestamp),
    raw: update,
    opensCase: false,
  };
}

function sourceOf(chatId: number, kind: MessageKind): IncomingMessage['source'] {
  const sourceKind: SourceKind = kind === 'private' ? 'private' : kind === 'channel_post' ? 'official_channel' : 'city_chat';
  return { externalId: String(chatId), kind: sourceKind, title: null, official: sourceKind === 'official_channel' };
}

/** A MAX user as our author (a bot, e.g. our own, is no author). */
export function authorOf(value: unknown): Author | null {
  const u = obj(value);
  const id = num(u.user_id);
  if (id === undefined || u.is_bot === true) return null;
  const name = [str(u.first_name), str(u.last_name)].filter(Boolean).join(' ') || str(u.name);
  return { externalId: String(id), displayName: name || null, username: str(u.username) || null };
}

function attachmentsOf(value: unknown): { attachments: Attachment[]; geo: IncomingMessage['geo'] } {
  const attachments: Attachment[] = [];
  let geo: IncomingMessage['geo'] = null;
  for (const item of Array.isArray(value) ? value : []) {
    const a = obj(item);
    const payload = obj(a.payload);
    // A photo's url opens it for staff; the token lets the bot send it again.
    const fileId = str(payload.url) || str(payload.token);
    const file = fileId ? { fileId } : {};
    switch (a.type) {
      case 'image':
        attachments.push({ type: 'photo', ...file });
        break;
      case 'video':
        attachments.push({ type: 'video', ...file });
        break;
      case 'audio':
        attachments.push({ type: 'audio', ...file });
        break;
      case 'file':
        attachments.push({
          type: 'document',
          ...file,
          ...(str(a.filename) ? { name: str(a.filename) } : {}),
          ...(num(a.size) !== undefined ? { size: num(a.size) } : {}),
        });
        break;
      case 'sticker':
        attachments.push({ type: 'sticker', ...file });
        break;
      case 'share':
        attachments.push({ type: 'link', ...file, ...(str(a.title) ? { name: str(a.title) } : {}) });
        break;
      case 'location': {
        const lat = num(a.latitude);
        const lon = num(a.longitude);
        if (lat !== undefined && lon !== undefined) geo = { lat, lon };
        attachments.push({ type: 'location' });
        break;
      }
      case 'inline_keyboard':
        break; // a bot's buttons, not the citizen's content
      default:
        attachments.push({ type: 'other' });
    }
  }
  return { attachments, geo };
}

/** MAX times are milliseconds since the epoch. */
function dateOf(v: unknown): Date {
  const ms = num(v);
  return ms ? new Date(ms) : new Date();
}
