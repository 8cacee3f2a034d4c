/**
 * MAX Bot API updates as MAX sends them (schema 0.0.32: `update_type`, `timestamp` in milliseconds,
 * `message: { sender, recipient: { chat_id, chat_type, user_id }, timestamp, body: { mid, seq, text,
 * attachments } }`, `callback: { timestamp, callback_id, payload, user }`), for the sandbox's simulated
 * citizens and the tests. Nothing here talks to a network.
 */

export interface MaxPerson {
  userId: number;
  firstName: string;
  lastName?: string;
  username?: string | null;
}

export type MaxChatType = 'dialog' | 'chat' | 'channel';

type Update = Record<string, unknown> & { update_type: string; timestamp: number };

let counter = 0;
/** A fresh mid in MAX's form (`mid.` and hex). */
export function newMid(): string {
  counter += 1;
  return `mid.${(Date.now() * 1000 + counter).toString(16).padStart(16, '0')}`;
}

/** A MAX `User` object. */
export function maxUser(p: MaxPerson): Record<string, unknown> {
  const name = [p.firstName, p.lastName].filter(Boolean).join(' ');
  return {
    user_id: p.userId,
    first_name: p.firstName,
    ...(p.lastName ? { last_name: p.lastName } : {}),
    name,
    username: p.username ?? null,
    is_bot: false,
    last_activity_time: Date.now(),
  };
}

/** A `Message` in a chat: from `sender` (or the bot), to `chatId`. */
export function maxMessage(m: {
  sender: Record<string, unknown> | null;
  chatId: number;
  chatType?: MaxChatType;
  recipientUserId?: number | null;
  text?: string | null;
  attachments?: Record<string, unknown>[];
  mid?: string;
  seq?: number;
  link?: Record<string, unknown>;
}): Record<string, unknown> {
  const timestamp = Date.now();
  return {
    ...(m.sender ? { sender: m.sender } : {}),
    recipient: { chat_id: m.chatId, chat_type: m.chatType ?? 'dialog', user_id: m.recipientUserId ?? null },
    timestamp,
    body: { mid: m.mid ?? newMid(), seq: m.seq ?? timestamp, text: m.text ?? null, attachments: m.attachments ?? null },
    ...(m.link ? { link: m.link } : {}),
  };
}

/** The updates a citizen (or a chat) causes, built with real field names. */
export const maxUpdates = {
  messageCreated(m: {
    from: MaxPerson;
    chatId: number;
    chatType?: MaxChatType;
    text?: string;
    attachments?: Record<string, unknown>[];
    mid?: string;
    botId?: number;
  }): Update {
    return {
      update_type: 'message_created',
      timestamp: Date.now(),
      message: maxMessage({
        sender: maxUser(m.from),
        chatId: m.chatId,
        chatType: m.chatType ?? 'dialog',
        recipientUserId: m.chatType && m.chatType !== 'dialog' ? null : (m.botId ?? null),
        text: m.text ?? null,
        ...(m.attachments ? { attachments: m.attachments } : {}),
        ...(m.mid ? { mid: m.mid } : {}),
      }),
      user_locale: 'ru',
    };
  },
  messageEdited(m: { from: MaxPerson; chatId: number; chatType?: MaxChatType; text: string; mid: string }): Update {
    return {
      update_type: 'message_edited',
      timestamp: Date.now(),
      message: maxMessage({
        sender: maxUser(m.from),
        chatId: m.chatId,
        chatType: m.chatType ?? 'dialog',
        text: m.text,
        mid: m.mid,
      }),
    };
  },
  messageRemoved(m: { chatId: number; mid: string; userId: number }): Update {
    return { update_type: 'message_removed', timestamp: Date.now(), message_id: m.mid, chat_id: m.chatId, user_id: m.userId };
  },
  /** A press of a callback button under the bot's message `under` (a message in `chatId`). */
  callback(m: {
    from: MaxPerson;
    chatId: number;
    payload: string;
    chatType?: MaxChatType;
    under?: Record<string, unknown>;
  }): Update {
    const timestamp = Date.now();
    return {
      update_type: 'message_callback',
      timestamp,
      callback: { timestamp, callback_id: `cb.${newMid().slice(4)}`, payload: m.payload, user: maxUser(m.from) },
      message:
        m.under ??
        maxMessage({ sender: null, chatId: m.chatId, chatType: m.chatType ?? 'dialog', recipientUserId: m.from.userId }),
      user_locale: 'ru',
    };
  },
  botStarted(m: { from: MaxPerson; chatId: number; payload?: string | null }): Update {
    return {
      update_type: 'bot_started',
      timestamp: Date.now(),
      chat_id: m.chatId,
      user: maxUser(m.from),
      ...(m.payload !== undefined ? { payload: m.payload } : {}),
      user_locale: 'ru',
    };
  },
  botAdded(m: { by: MaxPerson; chatId: number; isChannel?: boolean }): Update {
    return {
      update_type: 'bot_added',
      timestamp: Date.now(),
      chat_id: m.chatId,
      user: maxUser(m.by),
      is_channel: m.isChannel ?? false,
    };
  },
  userAdded(m: { user: MaxPerson; chatId: number; inviterId?: number | null }): Update {
    return {
      update_type: 'user_added',
      timestamp: Date.now(),
      chat_id: m.chatId,
      user: maxUser(m.user),
      inviter_id: m.inviterId ?? null,
      is_channel: false,
    };
  },
};
