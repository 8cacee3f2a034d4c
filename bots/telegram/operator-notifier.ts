import type { Api } from 'grammy';
import type { OperatorNotifier } from '../../handlers/structuring/notify-operators.js';
import type { AlertDetails } from '../../models/problem-query.js';
import { ru } from '../texts/ru.js';

/** Posts alerts into the operators' Telegram chat. */
export class TelegramOperatorNotifier implements OperatorNotifier {
  constructor(
    private readonly api: Api,
    private readonly chatId: number,
  ) {}

  async alert(details: AlertDetails): Promise<void> {
    await this.api.sendMessage(this.chatId, ru.operatorAlert(details));
  }
}
