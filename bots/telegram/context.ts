import type { Context } from 'grammy';
import type { IntakeApi } from '../../handlers/intake/index.js';
import type { Logger } from '../../src/logger.js';

export interface TelegramBotDeps {
  log: Logger;
  intake: IntakeApi;
  /** Counts updates of a type we do not handle. */
  onIgnored?: (type: string) => void;
}

export type BotContext = Context;

/** The neutral sender of a private-chat update. */
export function senderOf(ctx: Context): { channel: 'telegram'; externalId: string } | null {
  return ctx.from ? { channel: 'telegram', externalId: String(ctx.from.id) } : null;
}

export function authorOf(ctx: Context): { externalId: string; displayName: string | null; username: string | null } | null {
  if (!ctx.from) return null;
  const name = [ctx.from.first_name, ctx.from.last_name].filter(Boolean).join(' ');
  return { externalId: String(ctx.from.id), displayName: name || null, username: ctx.from.username ?? null };
}
