import {
  CHANNEL_NAMES,
  PAGE_STATUS_NAMES,
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
  pageStatus: PAGE_STATUS_NAMES,
  /** Form field messages: a field's name is added by the form. */
  field: {
    required: 'Заполните поле.',
    invalid: 'Неверное значение.',
    tooLong: (max: number) => `Не больше ${max} символов.`,
    date: 'Дата в виде ГГГГ-ММ-ДД.',
    unknown: 'Такого значения нет в справочнике.',
  },
  stale: 'Обращение изменилось, пока вы его смотрели: обновите страницу, проверьте и повторите.',
  /** Официальные страницы: why a link is not a page (handlers/pages/link.ts's problems), and the registry's refusals. */
  pageLink: {
    empty: 'Укажите ссылку на страницу.',
    not_a_link: 'Это не ссылка. Например: https://vk.com/barnaul_adm, https://t.me/barnaul, @barnaul, https://max.ru/barnaul.',
    unknown_site: 'Это не страница ВКонтакте, Telegram или MAX.',
    not_a_page: 'Это раздел сайта, а не сообщество или канал.',
    personal_page: 'Это личная страница человека, а не сообщество.',
    post_link: 'Это ссылка на пост. Нужна ссылка на само сообщество или канал.',
    private_invite: 'Это ссылка-приглашение в закрытый канал. Укажите публичную ссылку или номер чата и платформу.',
    bad_name: 'Такого имени страницы на этой платформе не бывает: проверьте ссылку.',
    needs_platform: 'Это номер чата: выберите платформу.',
    platform_mismatch: 'Ссылка с другой платформы, чем выбрана.',
  } as Record<string, string>,
  pageExists: 'Эта страница уже в реестре.',
  unknownOfficial: 'Сотрудника с таким номером нет.',
  unknownDepartment: 'Выберите подразделение из списка.',
  saved: 'Сохранено.',
} as const;

/** A value's Russian name, or the value itself when the table has none. */
export function named(table: Readonly<Record<string, string>>, value: string | null | undefined): string {
  if (!value) return '—';
  return table[value] ?? value;
}
