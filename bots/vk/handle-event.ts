import type { Logger } from 'pino';
import type { FollowUpsApi, IntakeApi } from '../../handlers/intake/index.js';
import type { PollsApi } from '../../handlers/polls/index.js';
import { ru, type TextCity } from '../texts/ru.js';
import type { VkApiPort } from './api.js';
import { commandOf, vkConsentKeyboard } from './keyboards.js';
import { parseVkPayload } from './payload.js';
import { HANDLED_VK_EVENTS, MalformedVkEvent, translateVkEvent, type VkEvent } from './translate.js';

export interface VkHandlerDeps {
  intake: IntakeApi;
  api: VkApiPort;
  log: Logger;
  /** The domain file's city (its name greets). */
  city: TextCity;
  /** Poll buttons (Да / Нет, 1–5, «Добавить комментарий»); without it a press is ignored, never a new case. */
  polls?: PollsApi;
  /** «Дополнение к обращению …» / «Новое обращение»; without it a press is stale, never a message. */
  followUps?: FollowUpsApi;
  onIgnored?: (type: string) => void;
  onMalformed?: (event: VkEvent, reason: string) => Promise<void>;
}

/**
 * One VK event → intake. Resolves only after the event is stored (or deliberately ignored); rejects
 * when storage failed, so the Callback API answer / long-poll cursor does not move past it.
 * Replies to citizens are best effort: a failed reply is logged and never un-stores a message.
 */
export function createVkEventHandler(deps: VkHandlerDeps): (event: VkEvent) => Promise<void> {
  const reply = async (peerId: number, text: string, keyboard?: string) => {
    await deps.api
      .sendMessage(peerId, text, keyboard ? { keyboard } : {})
      .catch((error) => deps.log.warn({ err: error }, 'VK reply failed (message itself is stored)'));
  };

  return async (event) => {
    if (!(HANDLED_VK_EVENTS as readonly string[]).includes(event.type)) {
      deps.onIgnored?.(event.type);
      return;
    }
    let input: ReturnType<typeof translateVkEvent>;
    try {
      input = translateVkEvent(event);
    } catch (error) {
      if (error instanceof MalformedVkEvent) {
        await deps.onMalformed?.(event, error.message);
        return;
      }
      throw error;
    }
    if (!input) return;

    if (input.kind === 'private' && input.author) {
      const peerId = Number(input.source.externalId);
      const message = (event.object?.message ?? event.object ?? {}) as { payload?: unknown };
      const command = commandOf(message.payload, input.text);
      const sender = { channel: 'vk' as const, externalId: input.author.externalId };
      const action = parseVkPayload(message.payload);
      if (action?.type === 'follow_up') {
        const outcome = deps.followUps
          ? await deps.followUps.choose({ messageId: action.messageId, choice: action.choice, sender })
          : 'stale';
        if (outcome === 'not_yours') await reply(peerId, ru.forbidden);
        else if (outcome === 'stale') await reply(peerId, ru.staleButton);
        return;
      }
      if (action?.type === 'intent') {
        // A press is an answer, not a message: never stored; the case number or the reply follows as a notification.
        const outcome = await deps.intake.answerIntent({ messageId: action.messageId, appeal: action.appeal, sender });
        if (outcome === 'not_yours') await reply(peerId, ru.forbidden);
        else if (outcome === 'stale') await reply(peerId, ru.staleButton);
        return;
      }
      if (action?.type === 'poll' || action?.type === 'rate' || action?.type === 'poll_comment') {
        // A press is an answer to the poll, not a message: it is never stored and never opens a case.
        if (!deps.polls) {
          deps.log.warn('VK poll button pressed but polls are not wired in this instance');
          return;
        }
        const outcome =
          action.type === 'poll_comment'
            ? await deps.polls.requestComment({ caseId: action.caseId, sender })
            : await deps.polls.answer({
                caseId: action.caseId,
                sender,
                ...(action.type === 'poll' ? { solved: action.solved } : { rating: action.rating }),
              });
        if (outcome === 'not_yours') await reply(peerId, ru.forbidden);
        else if (outcome === 'stale') await reply(peerId, ru.staleButton);
        else if (outcome === 'ready') await reply(peerId, ru.pollCommentPrompt);
        return;
      }
      if (command === 'consent_yes' || command === 'consent_no') {
        const consent = command === 'consent_yes' ? 'given' : 'declined';
        await deps.intake.recordConsent({ channel: 'vk', author: input.author, consent });
        await reply(peerId, consent === 'given' ? ru.consentGiven : ru.consentDeclined);
        return;
      }
      if (command === 'start') {
        await reply(peerId, ru.welcome(deps.city));
        const cases = await deps.intake.citizenCases(sender);
        await (cases.status === 'consent_required'
          ? reply(peerId, ru.consentPrompt, vkConsentKeyboard())
          : reply(peerId, ru.consentGiven));
        return;
      }
      if (command === 'help') {
        await reply(peerId, ru.help);
        return;
      }
      if (command === 'status') {
        const result = await deps.intake.citizenCases(sender);
        if (result.status === 'consent_required') await reply(peerId, ru.consentRequired, vkConsentKeyboard());
        else if (result.cases.length === 0) await reply(peerId, ru.statusEmpty);
        else
          await reply(peerId, [ru.statusTitle, ...result.cases.map((c) => ru.statusLine(c.number, c.status, c.text))].join('\n'));
        return;
      }
      if (command === 'new_case') {
        const result = await deps.intake.requestNewCase(sender);
        await (result === 'consent_required'
          ? reply(peerId, ru.consentRequired, vkConsentKeyboard())
          : reply(peerId, ru.newCasePrompt));
        return;
      }
      const outcome = await deps.intake.receive(input);
      if (outcome.status === 'consent_required') await reply(peerId, ru.consentRequired, vkConsentKeyboard());
      else if (outcome.status === 'declined') await reply(peerId, ru.declinedInfo);
      return;
    }
    await deps.intake.receive(input);
  };
}
