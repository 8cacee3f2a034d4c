import type { DomainConfig } from '../../../../config/domain.js';
import type { BroadcastListItem } from '../../../../handlers/broadcasts/index.js';
import type { ExportColumn } from '../../../http/export/index.js';
import { PRIORITY_NAMES, STATUS_NAMES, segmentWords } from './words.js';

export const BROADCAST_EXPORT = { file: 'broadcasts', sheet: 'Рассылки' } as const;

/** The columns of the «Рассылки» export: the list's rows, newest first, with the dates the page shows on a detail. */
export function broadcastColumns(domain: DomainConfig): ExportColumn<BroadcastListItem>[] {
  return [
    { header: '№', cell: (r) => r.id, width: 8 },
    { header: 'Рассылка', cell: (r) => r.title, width: 40 },
    { header: 'Статус', cell: (r) => STATUS_NAMES[r.status] ?? r.status, width: 16 },
    { header: 'Срочность', cell: (r) => PRIORITY_NAMES[r.priority] ?? r.priority, width: 12 },
    { header: 'Кому', cell: (r) => segmentWords(r.segment, domain), width: 40 },
    { header: 'Получателей', cell: (r) => r.recipientsTotal, width: 12 },
    { header: 'Автор', cell: (r) => r.authorName ?? r.author, width: 24 },
    { header: 'Одобрил', cell: (r) => r.approverName, width: 24 },
    { header: 'Создана', cell: (r) => r.createdAt, width: 17 },
    { header: 'Запланирована на', cell: (r) => r.scheduledAt, width: 17 },
    { header: 'Начата', cell: (r) => r.startedAt, width: 17 },
    { header: 'Завершена', cell: (r) => r.finishedAt, width: 17 },
  ];
}
