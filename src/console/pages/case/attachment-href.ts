import type { MessageView } from '../../../../handlers/cases/index.js';
import type { Attachment } from '../../../../models/intake.js';
import type { ConsoleDeps } from '../../deps.js';

/** The address of a message's n-th attachment when the console can fetch it: a Telegram file id, Telegram configured. */
export function attachmentHref(
  deps: ConsoleDeps,
  caseNumber: string,
  m: Pick<MessageView, 'id' | 'channel'>,
  n: number,
  a: Partial<Attachment>,
): string | null {
  if (m.channel !== 'telegram' || !a.fileId || !deps.telegramFile?.()) return null;
  return `/console/cases/${encodeURIComponent(caseNumber)}/attachments/${m.id}/${n}`;
}
