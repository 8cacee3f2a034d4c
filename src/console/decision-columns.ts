import type { pendingDecisions } from '../../handlers/answers/index.js';
import type { ExportColumn } from '../http/export/index.js';

type Pending = Awaited<ReturnType<typeof pendingDecisions>>;
type HeldAnswer = Pending['answers'][number];
type Extension = Pending['extensions'][number];

/** One line of the «Решения» export: a held answer or an extension request, as the page shows it. */
export type DecisionRow = { kind: 'answer'; item: HeldAnswer; problems: string[] } | { kind: 'extension'; item: Extension };

export const DECISION_TEXTS = {
  file: 'decisions',
  sheet: 'Решения',
  answer: 'Удержанный ответ',
  extension: 'Запрос на продление',
  final: 'по существу',
  interim: 'промежуточный',
  unassigned: 'не распределено',
} as const;

/**
 * The columns of the «Решения» export: the held answers, then the extension requests, in the page's
 * order for the same filters — each with the case, who wrote or asked, the deadlines and the why.
 */
export function decisionColumns(domain: { departments: readonly { id: string; name: string }[] }): ExportColumn<DecisionRow>[] {
  const departments = new Map(domain.departments.map((d) => [d.id, d.name]));
  const dept = (id: string | null) => (id ? (departments.get(id) ?? id) : DECISION_TEXTS.unassigned);
  return [
    { header: 'Что решить', cell: (r) => DECISION_TEXTS[r.kind], width: 20 },
    { header: 'Номер обращения', cell: (r) => r.item.caseNumber, width: 18 },
    { header: 'Подразделение', cell: (r) => dept(r.item.department), width: 32 },
    {
      header: 'Автор / кто просит',
      cell: (r) => (r.kind === 'answer' ? (r.item.authorName ?? r.item.author) : (r.item.requestedByName ?? r.item.requestedBy)),
      width: 24,
    },
    { header: 'Создан', cell: (r) => r.item.createdAt, width: 17 },
    { header: 'Срок сейчас', cell: (r) => (r.kind === 'answer' ? r.item.deadlineAt : r.item.previousDeadlineAt), width: 17 },
    { header: 'Просят продлить до', cell: (r) => (r.kind === 'extension' ? r.item.requestedUntil : null), width: 17 },
    {
      header: 'Вид ответа',
      cell: (r) => (r.kind === 'answer' ? (r.item.kind === 'final' ? DECISION_TEXTS.final : DECISION_TEXTS.interim) : null),
      width: 14,
    },
    {
      header: 'Почему задержан / причина',
      cell: (r) => (r.kind === 'answer' ? r.problems.join('; ') : r.item.reason),
      width: 40,
    },
    { header: 'Текст ответа', cell: (r) => (r.kind === 'answer' ? r.item.text : null), width: 60 },
    { header: 'Текст обращения', cell: (r) => r.item.caseText, width: 60 },
  ];
}
