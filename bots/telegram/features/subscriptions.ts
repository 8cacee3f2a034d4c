import { Composer, GrammyError } from 'grammy';
import type { SubscriptionChat } from '../../../handlers/subscriptions/index.js';
import { typedCommand } from '../../conversation/citizen.js';
import {
  isSubscriptionAction,
  type Screen,
  type SubscriptionAnswer,
  subscriptionCommand,
  subscriptionPress,
} from '../../conversation/subscriptions.js';
import { ru } from '../../texts/ru.js';
import { decodeCallback } from '../callback-data.js';
import { type BotContext, senderOf, type TelegramBotDeps } from '../context.js';
import { inlineKeyboard } from '../keyboards.js';

/**
 * /subscribe, /unsubscribe and their buttons (✓ districts and topics, «Весь город», «Готово»,
 * «Отписаться от всех»), and «Отписаться» under a broadcast — the shared subscription conversation
 * (bots/conversation/subscriptions.ts) delivered in Telegram: the /subscribe message is redrawn in
 * place after each press. In a group the bot answers that subscribing is done in the private chat.
 * Registered before the intake, so neither the commands nor the words «Подписаться» / «Отписаться»
 * typed in the private chat are stored as messages.
 */
export function subscriptionsFeature(deps: Pick<TelegramBotDeps, 'subscriptions'>): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const subscriptions = deps.subscriptions;
  if (!subscriptions) return feature;

  for (const command of ['subscribe', 'unsubscribe'] as const) {
    feature.command(command, async (ctx) => {
      const chat = chatOf(ctx);
      if (!chat) return;
      await deliver(ctx, await subscriptionCommand(subscriptions, chat, command, { canEdit: false }));
    });
  }

  // «Отписаться» / «Подписаться» typed as words in the private chat (as VK and MAX read them): a reply to
  // a broadcast saying «Отписаться» must not become a case.
  feature.chatType('private').on('message:text', async (ctx, next) => {
    const command = typedCommand(ctx.message.text);
    const chat = chatOf(ctx);
    if ((command !== 'subscribe' && command !== 'unsubscribe') || !chat) return next();
    await deliver(ctx, await subscriptionCommand(subscriptions, chat, command, { canEdit: false }));
  });

  feature.on('callback_query:data', async (ctx, next) => {
    const action = decodeCallback(ctx.callbackQuery.data);
    if (!isSubscriptionAction(action)) return next();
    const chat = chatOf(ctx);
    if (!chat) {
      await ctx.answerCallbackQuery({ text: ru.staleButton }).catch(() => {});
      return;
    }
    const { notice, ...rest } = await subscriptionPress(subscriptions, chat, action, { canEdit: true });
    await ctx.answerCallbackQuery(notice ? { text: notice } : undefined).catch(() => {});
    await deliver(ctx, rest);
  });
  return feature;
}

/** The person and, in a private chat, the chat broadcasts would go to (a group: null). */
function chatOf(ctx: BotContext): SubscriptionChat | null {
  const sender = senderOf(ctx);
  if (!sender || !ctx.chat) return null;
  return { ...sender, chatId: ctx.chat.type === 'private' ? String(ctx.chat.id) : null };
}

const markupOf = (screen: Screen) => (screen.buttons ? { reply_markup: inlineKeyboard(screen.buttons) } : {});

async function deliver(ctx: BotContext, answer: SubscriptionAnswer): Promise<void> {
  if (answer.notice) await ctx.reply(answer.notice);
  if (answer.edit) {
    const { text } = answer.edit;
    try {
      // Without reply_markup the keyboard goes: «Готово» leaves the summary alone.
      await ctx.editMessageText(text, markupOf(answer.edit));
    } catch (error) {
      // The same screen again is no change to make; a message that cannot be edited (too old, none
      // under the press) gets the screen as a new message.
      if (!(error instanceof GrammyError && /message is not modified/.test(error.description))) {
        await ctx.reply(text, markupOf(answer.edit));
      }
    }
  }
  for (const screen of answer.send) await ctx.reply(screen.text, markupOf(screen));
}
