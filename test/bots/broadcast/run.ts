import type { MessengerBroadcaster } from '../../../bots/outbound/broadcast-port.js';
import type { BroadcastContent, BulkRecipient, BulkResult } from '../../../models/broadcast.js';

/** A broadcast to its recipients the way the sender loop runs one: batches of `batchSize`, `concurrency` at a time. */
export async function runBroadcast(
  broadcaster: MessengerBroadcaster,
  content: BroadcastContent,
  recipients: readonly BulkRecipient[],
): Promise<BulkResult[]> {
  const batches: BulkRecipient[][] = [];
  for (let i = 0; i < recipients.length; i += broadcaster.batchSize())
    batches.push(recipients.slice(i, i + broadcaster.batchSize()));
  const results: BulkResult[] = [];
  const lanes = Array.from({ length: Math.min(broadcaster.concurrency(), batches.length) }, async () => {
    for (let batch = batches.shift(); batch; batch = batches.shift()) results.push(...(await broadcaster.send(content, batch)));
  });
  await Promise.all(lanes);
  return results.sort((a, b) => a.seq - b.seq);
}

/** A broadcast's content with defaults for the tests. */
export function content(overrides: Partial<BroadcastContent> = {}): BroadcastContent {
  return {
    broadcastId: 41,
    title: 'Отключение воды',
    text: 'В Индустриальном районе 12 мая с 9:00 до 18:00 не будет холодной воды.',
    photoUrl: null,
    priority: 'normal',
    audience: 'subscribers',
    ...overrides,
  };
}

/** `n` recipients with chat ids from `first`. */
export function recipients(n: number, first: number): BulkRecipient[] {
  return Array.from({ length: n }, (_, i) => ({ seq: i + 1, chatId: String(first + i) }));
}

/** Resolves once `check` is true, polling every 10 ms (at most `ms`). */
export async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
