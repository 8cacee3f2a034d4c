import {
  CHANNEL_NAMES,
  PRIORITY_NAMES,
  PROBLEM_STATUS_NAMES,
  RECIPIENT_STATUS_NAMES,
  SOURCE_KIND_NAMES,
  STATUS_NAMES,
} from '../http/export/index.js';

/**
 * The console's words that are not in its templates: the names of statuses, channels and priorities
 * (the same as the exports'), and the messages of forms. Templates get them as `it.t`.
 */
export const t = {
  status: STATUS_NAMES,
  channel: CHANNEL_NAMES,
  priority: PRIORITY_NAMES,
  problemStatus: PROBLEM_STATUS_NAMES,
  recipientStatus: RECIPIENT_STATUS_NAMES,
  sourceKind: SOURCE_KIND_NAMES,
  /** Form field messages: a field's name is added by the form. */
  field: {
    required: 'Заполните поле.',
    invalid: 'Неверное значение.',
    tooLong: (max: number) => `Не больше ${max} символов.`,
    date: 'Дата в виде ГГГГ-ММ-ДД.',
    unknown: 'Такого значения нет в справочнике.',
  },
  stale: 'Обращение изменилось, пока вы его смотрели: обновите страницу, проверьте и повторите.',
  saved: 'Сохранено.',
} as const;

/** A value's Russian name, or the value itself when the table has none. */
export function named(table: Readonly<Record<string, string>>, value: string | null | undefined): string {
  if (!value) return '—';
  return table[value] ?? value;
}
