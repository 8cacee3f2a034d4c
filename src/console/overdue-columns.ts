import type { DomainConfig } from '../../config/domain.js';
import type { EscalationStep, OverdueItem } from '../../handlers/cases/index.js';
import { type ExportColumn, PRIORITY_NAMES, STATUS_NAMES } from '../http/export/index.js';

/** The «Сроки» list's words: its states, its export's file and sheet, its escalation notes. */
export const OVERDUE_TEXTS = {
  state: { overdue: 'Просрочено', risk: 'Под угрозой' } as Readonly<Record<string, string>>,
  file: 'overdue',
  sheet: 'Сроки',
  nobody: 'некому отправить',
} as const;

/** A role's title from the domain file; a step of `sla.escalation.steps` as staff read it. */
export function stepText(domain: Pick<DomainConfig, 'roles'>, step: EscalationStep | null): string | null {
  if (!step) return null;
  const title = (domain.roles as Record<string, string>)[step.role] ?? step.role;
  return step.outcome === 'skipped:nobody' ? `${title} (${OVERDUE_TEXTS.nobody})` : title;
}

/**
 * The columns of the «Сроки» export: the same rows, in the same order, as the page lists for the same
 * filters — one line per case, with the escalation step reached and the next one planned.
 */
export function overdueColumns(domain: Pick<DomainConfig, 'roles' | 'departments' | 'categories'>): ExportColumn<OverdueItem>[] {
  const departments = new Map(domain.departments.map((d) => [d.id, d.name]));
  const categories = new Map(domain.categories.map((c) => [c.id, c.name]));
  const name = (names: ReadonlyMap<string, string>, id: string | null) => (id === null ? null : (names.get(id) ?? id));
  return [
    { header: 'Номер', cell: (r) => r.number, width: 18 },
    { header: 'Состояние', cell: (r) => OVERDUE_TEXTS.state[r.state] ?? r.state, width: 14 },
    { header: 'Срок ответа', cell: (r) => r.deadlineAt, width: 17 },
    { header: 'Подразделение', cell: (r) => name(departments, r.department), width: 32 },
    { header: 'Категория', cell: (r) => name(categories, r.category), width: 28 },
    { header: 'Статус', cell: (r) => STATUS_NAMES[r.status] ?? r.status, width: 20 },
    { header: 'Срочность', cell: (r) => PRIORITY_NAMES[r.priority] ?? r.priority, width: 10 },
    { header: 'Исполнитель', cell: (r) => r.assigneeName, width: 24 },
    { header: 'Эскалация: достигнутый шаг', cell: (r) => stepText(domain, r.reached), width: 32 },
    { header: 'Когда', cell: (r) => r.reached?.sentAt ?? null, width: 17 },
    { header: 'Следующий шаг', cell: (r) => stepText(domain, r.next), width: 32 },
    { header: 'Срок следующего шага', cell: (r) => r.next?.dueAt ?? null, width: 17 },
    { header: 'Текст', cell: (r) => r.text, width: 80 },
  ];
}
