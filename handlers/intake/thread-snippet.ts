import type { MessageForProcessing } from '../../models/case-repository.js';
import type { Tx } from '../../models/database.js';
import { messageThreadIds, setThreadSnippet, storedPostText } from '../../models/intake-repository.js';
import type { JobQueue } from '../../models/jobs.js';
import type { HandlerDeps } from '../deps.js';

/** As long as Telegram's reply snippets: enough to tell which post a comment is under. */
export const SNIPPET_LENGTH = 200;

/** Reads a VK wall post's text (wall.getById); the VK adapter implements it. */
export interface PostReader {
  postText(ownerId: number, postId: number): Promise<string | null>;
}

const snippetOf = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, SNIPPET_LENGTH);

/**
 * A VK comment's thread gets the snippet of its post: from the post stored as context when the
 * community published it while the bot ran, else through a `fetch-thread-snippet` job (the VK API is
 * never called inside the case transaction).
 */
export async function fillThreadSnippet(tx: Tx, jobs: JobQueue<Tx>, message: MessageForProcessing): Promise<void> {
  const thread = message.thread as { postId?: string; snippet?: string } | null;
  if (message.channel !== 'vk' || !thread?.postId || thread.snippet) return;
  const owner = message.platform_ids.owner_id;
  const text = owner === undefined ? undefined : await storedPostText(tx, message.source_id, `post:${owner}_${thread.postId}`);
  if (text) await setThreadSnippet(tx, message.id, snippetOf(text));
  else await jobs.send('fetch-thread-snippet', { messageId: message.id }, { tx });
}

/** The job: asks VK for the post's text. Without a VK token in this worker it says so and gives up. */
export async function fetchThreadSnippet(
  deps: Pick<HandlerDeps, 'db' | 'log'> & { reader: PostReader | null },
  payload: { messageId: number },
): Promise<'filled' | 'empty' | 'skipped'> {
  const m = await messageThreadIds(deps.db, payload.messageId);
  const thread = m?.thread as { postId?: string; snippet?: string } | null | undefined;
  const owner = Number(m?.platform_ids.owner_id);
  const post = Number(thread?.postId);
  if (!m || thread?.snippet || !Number.isSafeInteger(owner) || !Number.isSafeInteger(post)) return 'skipped';
  if (!deps.reader) {
    deps.log.warn({ messageId: m.id }, 'no VK token in this worker: the post snippet is not fetched');
    return 'skipped';
  }
  const text = await deps.reader.postText(owner, post);
  if (!text) return 'empty';
  await setThreadSnippet(deps.db, m.id, snippetOf(text));
  return 'filled';
}
