import { unprocessedMessages } from '../../models/case-repository.js';
import type { IntakeDeps } from './deps.js';
import { processMessage } from './process-message.js';

/**
 * The safety net of inline deciding: messages stored more than `graceMs` ago whose case was never
 * decided (the process died between storing and deciding, or deciding failed) are decided now.
 * Messages waiting for the citizen's follow-up choice are not touched: their timeout decides them.
 */
export async function processUnprocessed(deps: IntakeDeps, options: { graceMs: number; limit: number }): Promise<number> {
  const before = new Date(deps.clock.now().getTime() - options.graceMs);
  const ids = await unprocessedMessages(deps.db, before, options.limit);
  let decided = 0;
  for (const messageId of ids) {
    const outcome = await processMessage(deps, { messageId });
    if (outcome.status !== 'skipped') decided++;
  }
  return decided;
}
