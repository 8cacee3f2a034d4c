import type { Logger } from 'pino';
import type { StaffAccount } from '../../models/staff-account.js';
import { typedCommand } from '../conversation/citizen.js';
import {
  type ChatReply,
  helpText,
  INVITE_TOKEN,
  inviteReply,
  isStaffAction,
  isStaffCommand,
  officialText,
  type PressOutcome,
  type StaffConversationDeps,
  staffCommand,
  staffPress,
} from '../conversation/staff.js';
import type { ButtonAction } from '../outbound/buttons.js';
import { ru } from '../texts/ru.js';
import type { MaxApiPort, MaxTarget } from './api.js';
import { deliveryFailure, editMaxMessage, sendText } from './outbound.js';

/**
 * Officials and МЦУ staff in MAX: the invite from a deep link, the staff commands, an official's
 * text that answers a case, and the card and alert buttons — the messenger-neutral staff
 * conversation (bots/conversation/staff.ts), delivered through MAX's API. Everything here runs
 * before the citizen's conversation and passes on what is not staff's.
 */
export interface MaxStaffDeps extends StaffConversationDeps {
  api: MaxApiPort;
  log: Logger;
}

/** The MAX account of a user id, as the people use cases know it. */
export const maxAccount = (userId: number | string): StaffAccount => ({ channel: 'max', userId: String(userId) });

/** Writes a reply of the staff conversation in a MAX chat, with its buttons; best effort, as every reply. */
export async function replyInMax(deps: MaxStaffDeps, to: MaxTarget, reply: ChatReply): Promise<void> {
  await sendText(deps.api, to, { text: reply.text, ...(reply.buttons?.length ? { buttons: reply.buttons } : {}) }).catch(
    (error) => deps.log.warn({ reason: deliveryFailure(error).reason }, 'MAX staff reply failed'),
  );
}

/**
 * `https://max.ru/<bot>?start=<token>` opened (the `bot_started` payload) or `/start <token>` typed:
 * binds this MAX account to the invited person. False when the payload is not an invite (the
 * citizen's greeting follows).
 */
export async function redeemInMax(
  deps: MaxStaffDeps,
  input: { payload: string; userId: number; chatId: number },
): Promise<boolean> {
  const token = input.payload.trim();
  if (!deps.people || !INVITE_TOKEN.test(token)) return false;
  const outcome = await deps.people.redeem(token, { ...maxAccount(input.userId), chatId: String(input.chatId) });
  await replyInMax(deps, { chatId: input.chatId }, inviteReply(deps.people, outcome));
  return true;
}

/** `/my`, `/case МЦУ-2026-000001`, `/stats 7` as typed (MAX sends commands as text): the name and its arguments. */
export function typedStaffCommand(text: string): { name: string; args: string } | null {
  const m = /^\/([A-Za-z_]+)(?:@\S+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  return m?.[1] ? { name: m[1].toLowerCase(), args: m[2] ?? '' } : null;
}

const CITIZEN_COMMANDS = new Set(['start', 'status', 'help', 'subscribe', 'unsubscribe']);

/**
 * A citizen's command typed with words after it (`/start promo`, `/status@bot please`): the command,
 * as Telegram reads `/start <payload>`. The citizen's conversation knows only the bare forms, so
 * `/start <anything but an invite>` would otherwise be stored as a message and could open a case.
 */
export function typedCitizenCommand(text: string): 'start' | 'status' | 'help' | 'subscribe' | 'unsubscribe' | null {
  const name = typedStaffCommand(text)?.name;
  return name === 'start' || name === 'status' || name === 'help' || name === 'subscribe' || name === 'unsubscribe' ? name : null;
}

/**
 * A dialog message: a staff command, an unknown command, an invite typed as `/start <token>`, or an
 * official's text about a case. True when it was staff's (answered here); false for a citizen's message.
 */
export async function staffDialogMessage(
  deps: MaxStaffDeps,
  input: { userId: number; chatId: number; text: string; replyToText: string | undefined; photos: number },
): Promise<boolean> {
  const account = maxAccount(input.userId);
  const to = { chatId: input.chatId };
  const typed = typedStaffCommand(input.text);
  // /help (or «Помощь»): staff see their commands too, as Telegram's /help; a citizen the citizen's help.
  if (typed?.name === 'help' || typedCommand(input.text) === 'help') {
    await replyInMax(deps, to, { text: await helpText(deps, account) });
    return true;
  }
  if (typed) {
    if (typed.name === 'start' && typed.args.trim() !== '')
      return redeemInMax(deps, { payload: typed.args, userId: input.userId, chatId: input.chatId });
    if (isStaffCommand(typed.name)) {
      const reply = await staffCommand(deps, account, typed.name, typed.args);
      if (reply) await replyInMax(deps, to, reply);
      return true;
    }
    if (CITIZEN_COMMANDS.has(typed.name)) return false;
    // A command nobody knows: say so, with the help this person needs (never a case).
    await replyInMax(deps, to, { text: `${ru.unknownCommand}\n\n${await helpText(deps, account)}` });
    return true;
  }
  const reply = await officialText(deps, account, input.text, input.replyToText);
  if (!reply) return false;
  // An official's photos from MAX are not attached to answers yet (answers carry Telegram file ids).
  await replyInMax(deps, to, input.photos > 0 ? { ...reply, text: `${reply.text}\n\n${ru.maxPhotosNotAttached}` } : reply);
  return true;
}

/**
 * A staff button (a card's, the quality gate's, an operators' alert's) pressed in MAX. Resolves with
 * the notification for the press; the reply goes to the chat, and an operators' decision is added to
 * the alert, which loses its buttons, for everyone in the chat to see. Null when the action is not staff's.
 */
export async function staffPressInMax(
  deps: MaxStaffDeps,
  press: { action: ButtonAction | null; userId: number; who: string; to: MaxTarget; mid: string | null; text: string },
): Promise<{ notice: string | undefined } | null> {
  if (!press.action || !isStaffAction(press.action)) return null;
  const pressed =
    press.mid && 'chatId' in press.to ? { channel: 'max' as const, chatId: String(press.to.chatId), messageId: press.mid } : null;
  const outcome = await staffPress(deps, maxAccount(press.userId), press.action, press.who, pressed);
  if (!outcome) return { notice: undefined };
  await changePressedInMax(deps, press, outcome);
  if (outcome.reply) await replyInMax(deps, press.to, outcome.reply);
  if (outcome.decided && press.mid)
    await deps.api
      .edit(press.mid, { text: `${press.text}\n\n${outcome.decided}`, attachments: [] })
      .catch((error) => deps.log.debug({ reason: deliveryFailure(error).reason }, 'MAX alert edit failed (decision taken)'));
  return { notice: outcome.notice };
}

/**
 * What a staff press does to the message under the button (PUT /messages): new buttons under its text, or
 * a new text and buttons (a broadcast's preview becoming its progress message). When MAX no longer has it,
 * the new text is sent, and a broadcast's progress message is that one from then on.
 */
async function changePressedInMax(
  deps: MaxStaffDeps,
  press: { to: MaxTarget; mid: string | null; text: string },
  outcome: PressOutcome,
): Promise<void> {
  const edited = outcome.edit ?? (outcome.buttons ? { text: press.text, buttons: outcome.buttons } : null);
  if (!edited) return;
  const result = press.mid
    ? await editMaxMessage(deps.api, press.mid, { text: edited.text, buttons: edited.buttons ?? [], photos: [] })
    : null;
  if (result?.status === 'sent' || !outcome.edit) return;
  const mid = await sendText(deps.api, press.to, { text: edited.text, buttons: edited.buttons ?? [] }).catch((error) => {
    deps.log.warn({ reason: deliveryFailure(error).reason }, 'MAX staff reply failed');
    return null;
  });
  if (mid && outcome.progressOf !== undefined && deps.staffBroadcasts && 'chatId' in press.to)
    await deps.staffBroadcasts.setProgressMessage(outcome.progressOf, {
      channel: 'max',
      chatId: String(press.to.chatId),
      messageId: mid,
    });
}
