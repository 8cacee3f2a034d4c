/**
 * Every Russian string of the export files, in one place, so the wording can be reviewed without
 * reading code: the column headers, the sheet names and the names of codes shown in cells. The
 * ratings and problems exports add theirs here.
 */

/** The case export's headers (`GET /api/v1/exports/cases.csv|xlsx`), in column order. */
export const CASE_HEADERS = {
  number: 'Номер',
  createdAt: 'Дата регистрации',
  channel: 'Канал',
  source: 'Источник',
  category: 'Категория',
  district: 'Район',
  department: 'Исполнитель',
  status: 'Статус',
  priority: 'Приоритет',
  deadlineAt: 'Срок ответа',
  firstResponseAt: 'Первый ответ',
  finalAnswerAt: 'Окончательный ответ',
  answeredOnTime: 'Ответ в срок',
  rating: 'Оценка',
  text: 'Текст обращения',
} as const;

export const SHEET_NAMES = { cases: 'Обращения' } as const;

/** The file names offered to the browser (ASCII, so every client saves them as they are). */
export const FILE_NAMES = { cases: 'cases' } as const;

export const YES = 'да';
export const NO = 'нет';

export const CHANNEL_NAMES: Readonly<Record<string, string>> = {
  telegram: 'Telegram',
  vk: 'ВКонтакте',
  max: 'MAX',
  import: 'Импорт',
  api: 'API',
};

/** Where the citizen wrote, when the source has no title of its own. */
export const SOURCE_KIND_NAMES: Readonly<Record<string, string>> = {
  private: 'Личные сообщения',
  official_channel: 'Официальный канал',
  discussion_group: 'Обсуждения канала',
  city_chat: 'Городской чат',
  official_community: 'Официальное сообщество',
  public_community: 'Сообщество',
  external_system: 'Внешняя система',
};

/** The case lifecycle (models/case-lifecycle.ts) as staff read it. */
export const STATUS_NAMES: Readonly<Record<string, string>> = {
  new: 'Новое',
  triage: 'На распределении',
  assigned: 'Передано исполнителю',
  in_progress: 'В работе',
  interim_replied: 'Дан промежуточный ответ',
  answered: 'Дан ответ',
  closed: 'Закрыто',
  reopened: 'Возобновлено',
};

export const PRIORITY_NAMES: Readonly<Record<string, string>> = {
  urgent: 'Срочное',
  normal: 'Обычное',
};
