import { GrammyError } from 'grammy';
import { DeliveryBlockedError } from '../../models/citizen-notification.js';

/**
 * Runs a send; a chat that can no longer be written to (403: the user blocked the bot or left; 400
 * "chat not found") becomes DeliveryBlockedError, which the queue does not retry — it would never heal.
 */
export async function sendOrBlocked<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (error instanceof GrammyError && (error.error_code === 403 || /chat not found/i.test(error.description))) {
      throw new DeliveryBlockedError(error.description);
    }
    throw error;
  }
}
