import type { RecipientLine } from '../../../models/broadcast-repository.js';
import type { ExportColumn } from './column.js';
import { CHANNEL_NAMES, RECIPIENT_HEADERS as H, RECIPIENT_STATUS_NAMES } from './texts-ru.js';

/** A broadcast's recipients: who got it, who did not and why (GET /api/v1/broadcasts/:id/recipients.csv). */
export const recipientColumns: readonly ExportColumn<RecipientLine>[] = [
  { header: H.seq, cell: (r) => r.seq, width: 8 },
  { header: H.channel, cell: (r) => CHANNEL_NAMES[r.channel] ?? r.channel, width: 12 },
  { header: H.citizenId, cell: (r) => r.citizenId, width: 12 },
  { header: H.citizenName, cell: (r) => r.citizenName, width: 24 },
  { header: H.status, cell: (r) => RECIPIENT_STATUS_NAMES[r.status] ?? r.status, width: 18 },
  { header: H.reason, cell: (r) => r.reason, width: 30 },
  { header: H.attempts, cell: (r) => r.attempts, width: 8 },
  { header: H.sentAt, cell: (r) => r.sentAt, width: 18 },
];
