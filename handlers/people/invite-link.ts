import type { Channel } from '../../models/intake.js';

/**
 * Where each messenger's deep link starts: opening `<base>/<bot>?start=<token>` sends the token to the
 * bot in a private chat, which binds that account to the invited person. One entry per messenger that
 * has invite links.
 */
const INVITE_LINK_BASES = { telegram: 'https://t.me', max: 'https://max.ru' } as const satisfies Partial<Record<Channel, string>>;
/** The messengers staff can bind (through an invite) and prefer. */
export type InviteChannel = keyof typeof INVITE_LINK_BASES;
export const INVITE_CHANNELS = Object.keys(INVITE_LINK_BASES) as [InviteChannel, ...InviteChannel[]];

/** `https://t.me/<bot>?start=<token>` (Telegram) or `https://max.ru/<bot>?start=<token>` (MAX). */
export function inviteLink(channel: InviteChannel, botUsername: string, token: string): string {
  return `${INVITE_LINK_BASES[channel]}/${botUsername.replace(/^@/, '')}?start=${token}`;
}

/** The invite's link on every messenger whose bot name is known (null where it is not). */
export function inviteLinks(bots: Record<InviteChannel, string | null>, token: string): Record<InviteChannel, string | null> {
  return Object.fromEntries(
    INVITE_CHANNELS.map((channel) => {
      const bot = bots[channel];
      return [channel, bot ? inviteLink(channel, bot, token) : null];
    }),
  ) as Record<InviteChannel, string | null>;
}
