/** Platform-neutral shapes of intake: what every channel adapter translates its events into. */

/**
 * Every channel a message can come from: the messengers, then imports and the API. A new messenger is
 * one more name here; its adapter under bots/ stores `chat_id` (and `message_id`) in a message's
 * platform ids, so replies and answers find their way back without code per messenger in models/.
 */
export const CHANNELS = ['telegram', 'vk', 'max', 'import', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Where a message was written: a private chat with the bot, an official page, a discussion group, a public community. */
export type SourceKind =
  | 'private'
  | 'official_channel'
  | 'discussion_group'
  | 'city_chat'
  | 'official_community'
  | 'public_community';

export type MessageKind = 'private' | 'comment' | 'post' | 'channel_post' | 'chat' | 'suggested_post' | 'board_post';

export interface Attachment {
  type: 'photo' | 'document' | 'voice' | 'video' | 'audio' | 'location' | 'venue' | 'sticker' | 'link' | 'other';
  /** The platform's file id or attachment key, for later download by staff. */
  fileId?: string;
  name?: string;
  mimeType?: string;
  size?: number;
}

export interface Author {
  externalId: string;
  displayName?: string | null;
  username?: string | null;
}

export interface IncomingMessage {
  channel: Channel;
  /** The platform's event id (Telegram update_id, VK event_id): a second delivery is a no-op. */
  eventId: string | null;
  source: { externalId: string; kind: SourceKind; title?: string | null; official: boolean };
  /** Unique within the source: the platform's message/comment id. */
  externalId: string;
  kind: MessageKind;
  action: 'new' | 'edit' | 'delete';
  author: Author | null;
  text: string;
  attachments: Attachment[];
  geo: { lat: number; lon: number } | null;
  permalink: string | null;
  /** What the message answers: the post (with a short snippet) or comment it is under. */
  thread: { postId?: string; commentId?: string; snippet?: string } | null;
  platformIds: Record<string, string | number>;
  platformAt: Date;
  raw: unknown;
  /** False for the city's own posts: stored as context for comments, never a case. */
  opensCase: boolean;
}

/** Where an answer to a message goes back to. */
export interface ReplyTarget {
  channel: Channel;
  chatId: string;
  replyToMessageId?: string;
}

/** The outcome of intake for one event, which the adapter turns into a reply (or silence). */
export type IntakeOutcome =
  | { status: 'stored'; messageId: number }
  | { status: 'updated'; messageId: number }
  | { status: 'duplicate' }
  | { status: 'consent_required' }
  | { status: 'declined' }
  | { status: 'ignored'; reason: 'source_pending' | 'source_rejected' | 'unknown_message' | 'empty' };

export const MAX_TEXT_LENGTH = 16_384;
