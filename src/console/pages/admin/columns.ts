import type { DomainConfig } from '../../../../config/domain.js';
import type { sourcesPage } from '../../../../handlers/cases/index.js';
import type { officials } from '../../../../handlers/people/index.js';
import type { ExportColumn } from '../../../http/export/index.js';
import { named, t } from '../../texts-ru.js';

export const ADMIN_EXPORTS = {
  sources: { file: 'sources', sheet: 'Источники' },
  people: { file: 'people', sheet: 'Сотрудники' },
} as const;

type Source = Awaited<ReturnType<typeof sourcesPage>>['items'][number];

/** The columns of the «Источники» export: the list's rows in its order (by number). */
export function sourceColumns(statusNames: Readonly<Record<string, string>>): ExportColumn<Source>[] {
  return [
    { header: '№', cell: (r) => r.id, width: 8 },
    { header: 'Название', cell: (r) => r.title, width: 40 },
    { header: 'Идентификатор', cell: (r) => r.externalId, width: 24 },
    { header: 'Канал', cell: (r) => named(t.channel, r.channel), width: 12 },
    { header: 'Вид', cell: (r) => named(t.sourceKind, r.kind), width: 24 },
    { header: 'Состояние', cell: (r) => statusNames[r.status] ?? r.status, width: 16 },
    { header: 'Официальный', cell: (r) => (r.official ? 'да' : 'нет'), width: 12 },
    { header: 'Добавлен', cell: (r) => r.createdAt, width: 17 },
  ];
}

type Person = Awaited<ReturnType<typeof officials>>[number];

/** The columns of the «Сотрудники» export: the people the filters select, in the list's order. */
export function peopleColumns(
  domain: Pick<DomainConfig, 'roles' | 'departments'>,
  channelTitles: Readonly<Record<string, string>>,
): ExportColumn<Person>[] {
  const roles = domain.roles as Record<string, string>;
  const departments = new Map(domain.departments.map((d) => [d.id, d.name]));
  const channel = (c: string) => channelTitles[c] ?? named(t.channel, c);
  return [
    { header: '№', cell: (r) => r.id, width: 8 },
    { header: 'Имя', cell: (r) => r.name, width: 32 },
    { header: 'Роль', cell: (r) => roles[r.role] ?? r.role, width: 40 },
    { header: 'Подразделение', cell: (r) => departments.get(r.department) ?? r.department, width: 40 },
    {
      header: 'Мессенджеры',
      cell: (r) =>
        r.accounts.map((a) => `${channel(a.channel)}${a.blocked ? ' (бот заблокирован)' : ''}`).join(', ') || 'не привязан',
      width: 28,
    },
    { header: 'Основной', cell: (r) => (r.preferredChannel ? channel(r.preferredChannel) : null), width: 12 },
    { header: 'Доступ', cell: (r) => (r.active ? 'активен' : 'отключён'), width: 12 },
  ];
}
