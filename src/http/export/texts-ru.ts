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

/**
 * The ratings export's headers (`GET /api/v1/exports/ratings.csv|xlsx`), in column order: every figure
 * of the JSON report's department row (docs/architecture/ratings.md), flattened. Shares are 0–1.
 */
export const RATING_HEADERS = {
  rank: 'Место',
  ranked: 'В рейтинге',
  unrankedReason: 'Почему вне рейтинга',
  department: 'Код исполнителя',
  name: 'Исполнитель',
  score: 'Балл (0–100)',
  cases: 'Обращений',
  answered: 'Дан ответ',
  answeredShare: 'Доля с ответом',
  due: 'Срок ответа наступил',
  answeredOnTime: 'Ответ в срок',
  onTimeShare: 'Доля в срок',
  firstResponseMedian: 'Первый ответ, медиана (раб. ч)',
  firstResponseP90: 'Первый ответ, 90-й процентиль (раб. ч)',
  finalAnswerMedian: 'Окончательный ответ, медиана (раб. ч)',
  finalAnswerP90: 'Окончательный ответ, 90-й процентиль (раб. ч)',
  finalAnswers: 'Окончательных ответов',
  clean: 'Полных ответов',
  held: 'Задержано на проверку',
  forced: 'Отправлено вопреки проверке',
  completenessShare: 'Доля полных ответов',
  otpiskaShare: 'Доля «отписок»',
  reopenings: 'Возобновлений',
  reopenedShare: 'Доля возобновлений',
  repeats: 'Повторных обращений',
  repeatsShare: 'Доля повторных',
  polled: 'Опросов',
  pollsAnswered: 'Ответили на опрос',
  rated: 'Оценок',
  share45: 'Доля оценок 4–5',
  ratingMean: 'Средняя оценка',
  previousCases: 'Обращений в прошлом периоде',
  previousScore: 'Балл в прошлом периоде',
  previousRank: 'Место в прошлом периоде',
  scoreDelta: 'Изменение балла',
} as const;

/** Why a department is listed apart from the rating. */
export const UNRANKED_REASON_NAMES: Readonly<Record<string, string>> = {
  below_min_cases: 'Мало обращений',
  no_score: 'Нечего оценивать',
};

/** The problems export's headers (`GET /api/v1/exports/problems.csv|xlsx`), in column order. */
export const PROBLEM_HEADERS = {
  id: 'Номер проблемы',
  title: 'Проблема',
  status: 'Состояние',
  category: 'Категория',
  district: 'Район',
  department: 'Исполнитель',
  volume: 'Обращений',
  growth: 'Рост',
  firstSeen: 'Первое обращение',
  lastSeen: 'Последнее обращение',
  resolvedAt: 'Решена с',
  recurrences: 'Обращений после решения',
  categories: 'Все категории',
  districts: 'Все районы',
} as const;

/** The problems export's trend headers, which name the window (`window`, in days). */
export const problemWindowHeaders = (days: number) => ({
  recent: `Обращений за последние ${days} дн.`,
  previous: `Обращений за ${days} дн. до них`,
});

/** The problem lifecycle (models/problem-lifecycle.ts) as staff read it. */
export const PROBLEM_STATUS_NAMES: Readonly<Record<string, string>> = {
  open: 'Открыта',
  in_work: 'В работе',
  resolved: 'Решена',
  recurring: 'Повторяется',
};

/** The recipients of a broadcast (GET /api/v1/broadcasts/:id/recipients.csv). */
export const RECIPIENT_HEADERS = {
  seq: '№',
  channel: 'Мессенджер',
  citizenId: 'Житель (id)',
  citizenName: 'Имя',
  status: 'Статус',
  reason: 'Причина',
  attempts: 'Попыток',
  sentAt: 'Доставлено',
} as const;

export const RECIPIENT_STATUS_NAMES: Readonly<Record<string, string>> = {
  pending: 'Ожидает',
  sending: 'Отправляется',
  sent: 'Доставлено',
  blocked: 'Бот заблокирован',
  failed: 'Не доставлено',
  skipped: 'Пропущено',
};

/**
 * The official pages' export (`GET /api/v1/exports/pages.csv|xlsx`): the registry's fields, what the last
 * monitoring round could read, and the latest snapshot's score and figures (docs/architecture/official-pages.md).
 */
export const PAGE_HEADERS = {
  id: '№',
  platform: 'Платформа',
  url: 'Ссылка',
  externalId: 'Идентификатор',
  title: 'Название',
  owner: 'Владелец',
  ownerId: 'Код владельца',
  organisation: 'Организация',
  responsible: 'Ответственный',
  status: 'Статус',
  readable: 'Читается',
  unreadableReason: 'Почему не читается',
  goneAt: 'Удалена или закрыта на платформе',
  lastCheckedAt: 'Последняя проверка',
  lastPostAt: 'Последний пост',
  score: 'Балл (0–100)',
  scoredAt: 'Дата оценки',
} as const;

/** The latest snapshot's figures the export shows, by their key in `page_snapshot.figures`, in column order. */
export const PAGE_FIGURE_HEADERS: Readonly<Record<string, string>> = {
  postsPerWeek: 'Постов в неделю',
  daysSinceLastPost: 'Дней без постов',
  setupShare: 'Доля пунктов оформления',
  comments: 'Комментариев жителей',
  answered: 'С ответом страницы',
  overdue: 'Без ответа дольше срока',
  answeredShare: 'Доля с ответом',
  medianReplyHours: 'Время ответа, медиана (раб. ч)',
  views: 'Просмотров',
  likes: 'Отметок «нравится»',
  reposts: 'Репостов',
};

/** A page's status in the registry. */
export const PAGE_STATUS_NAMES: Readonly<Record<string, string>> = {
  active: 'Действует',
  planned: 'Планируется',
  closed: 'Закрыта',
};

/** Whether the last round could read a page (null: not checked yet). */
export const PAGE_READABLE_NAMES = { yes: 'да', no: 'нет', unknown: 'ещё не проверялась' } as const;

export const SHEET_NAMES = {
  cases: 'Обращения',
  ratings: 'Рейтинг',
  problems: 'Проблемы',
  recipients: 'Получатели',
  pages: 'Официальные страницы',
} as const;

/** The file names offered to the browser (ASCII, so every client saves them as they are). */
export const FILE_NAMES = {
  cases: 'cases',
  ratings: 'ratings',
  problems: 'problems',
  recipients: 'broadcast-recipients',
  pages: 'official-pages',
} as const;

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
