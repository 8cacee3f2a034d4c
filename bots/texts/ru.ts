import type { DomainConfig } from '../../config/domain.js';
import type { DepartmentRating } from '../../handlers/analytics/index.js';
import type { StaffPagesOutcome } from '../../handlers/pages/index.js';
import type { Digest } from '../../handlers/reminders/index.js';
import { broadcastMessageText } from '../../models/broadcast.js';
import type { CaseCard } from '../../models/case-query.js';
import type { CitizenNotification } from '../../models/citizen-notification.js';
import type { BroadcastApproval, BroadcastNotStarted, BroadcastProgress, BroadcastTotals } from '../../models/outbound.js';
import type { OfficialNotice } from '../../models/reminder-kind.js';
import type { ReportPages, WeekFigures, WeeklyReport } from '../../models/report-repository.js';
import type { AlertKind } from '../../models/schema.js';

/**
 * Every citizen- and official-facing string of the bots, in one place, so the wording can be
 * reviewed (and one day translated) without reading code.
 */

const STATUS_NAMES: Record<string, string> = {
  new: 'принято',
  triage: 'на распределении',
  assigned: 'передано исполнителю',
  in_progress: 'в работе',
  interim_replied: 'дан промежуточный ответ',
  answered: 'дан ответ',
  closed: 'закрыто',
  reopened: 'возобновлено',
};

/** The city's clock, from the domain file: every moment in a text is shown in its time zone and locale. */
export type CityClock = Pick<DomainConfig['city'], 'timezone' | 'locale'>;
/** The city as the greeting names it, from the domain file. */
export type CityName = Pick<DomainConfig['city'], 'name' | 'nameGenitive'>;
/** What the texts take from the domain file's `city` (pass `domain.city`). */
export type TextCity = CityClock & CityName;

/** A moment as people read it: the city's local time, «10.12 17:00» (e.g. Barnaul time for Barnaul). */
export function formatLocal(at: Date, city: CityClock): string {
  return new Intl.DateTimeFormat(city.locale, {
    timeZone: city.timezone,
    day: '2-digit',
    month: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  })
    .format(at)
    .replace(',', '');
}

/** "9wh" → "9 рабочих часов", "8wd" → "8 рабочих дней", "30d" → "30 дней", "2h" → "2 часа". */
export function formatDuration(duration: string): string {
  const match = /^(\d+)(wh|wd|d|h|m)$/.exec(duration);
  if (!match) return duration;
  const n = Number(match[1]);
  const unit = match[2] as 'wh' | 'wd' | 'd' | 'h' | 'm';
  const forms = {
    wh: ['рабочего часа', 'рабочих часов', 'рабочих часов'],
    wd: ['рабочего дня', 'рабочих дней', 'рабочих дней'],
    d: ['дня', 'дней', 'дней'],
    h: ['часа', 'часов', 'часов'],
    m: ['минуты', 'минут', 'минут'],
  }[unit];
  // "в течение N …" takes the genitive: 1 рабочего часа, 2–4 рабочих часов, 5+ рабочих часов.
  const form = n % 10 === 1 && n % 100 !== 11 ? forms[0] : forms[1];
  return `${n} ${form}`;
}

const ANSWER_PROBLEMS: Record<string, string> = {
  too_short: 'слишком коротко;',
  stock_phrase: 'шаблонные фразы («принято к сведению», «рассмотрено в установленном порядке»…);',
  no_specifics: 'нет конкретного действия, срока или ответственного.',
};

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);
// ---- the staff's broadcasts (ru.broadcastStaff) ----
const BROADCAST_STATUS: Record<BroadcastProgress['status'], string> = {
  draft: 'черновик',
  scheduled: 'запланирована',
  running: 'идёт',
  paused: 'на паузе',
  done: 'завершена',
  cancelled: 'отменена',
};
const CHANNEL_NAMES: Record<string, string> = { telegram: 'Telegram', vk: 'VK', max: 'MAX' };
const count = (n: number) => n.toLocaleString('ru-RU');
const allOf = (t: BroadcastTotals) => t.pending + t.sending + t.sent + t.blocked + t.failed + t.skipped;
/** «≈ 45 с», «≈ 3 мин», «≈ 1 ч 20 мин». */
const aboutDuration = (seconds: number) => {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} с`;
  const m = Math.round(s / 60);
  return m < 60 ? `${m} мин` : `${Math.floor(m / 60)} ч${m % 60 ? ` ${m % 60} мин` : ''}`;
};
/** «12 мин 30 с», «1 ч 5 мин»: how long a broadcast took. */
const exactDuration = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} с`;
  if (s < 3600) return `${Math.floor(s / 60)} мин${s % 60 ? ` ${s % 60} с` : ''}`;
  const m = Math.floor(s / 60);
  return `${Math.floor(m / 60)} ч${m % 60 ? ` ${m % 60} мин` : ''}`;
};
/** A text bar of `width` cells: ▓ done, ░ left. */
const bar = (share: number, width = 10) => {
  const full = Math.min(width, Math.max(0, Math.round(share * width)));
  return `${'▓'.repeat(full)}${'░'.repeat(width - full)}`;
};
const NOBODY_IN_PROBLEM =
  'никому из жителей этой проблемы нельзя написать: они не писали боту в личные сообщения или отказались от рассылок. Выберите другую аудиторию.';
/** The /broadcast wizard's preview of a draft. */
export interface StaffBroadcastPreview {
  title: string;
  text: string;
  /** The district's name, or null: every subscriber. */
  district: string | null;
  /** The problem's label when the audience is the citizens of a problem's cases (then `district` is null). */
  problem?: string | null;
  /** An emergency broadcast: ignores the quiet hours, goes before the others. */
  emergency?: boolean;
  recipients: number;
  byChannel: Partial<Record<string, number>>;
  excluded: { optedOut: number; noPrivateChat: number };
  needsApproval: boolean;
  approvalThreshold: number;
  approved: boolean;
  unsendable: readonly string[];
}
/** A subscription's chosen districts or topics, or what none means («весь город», «все темы»). */
type SubscriptionOptions = readonly { name: string; chosen: boolean }[];
const chosenNames = (items: SubscriptionOptions, none: string) =>
  items
    .filter((i) => i.chosen)
    .map((i) => i.name)
    .join(', ') || none;
/** What /rating shows of one department's rating. */
type RatingLine = Pick<
  DepartmentRating,
  'name' | 'rank' | 'score' | 'trend' | 'cases' | 'onTimeShare' | 'completeness' | 'satisfaction' | 'firstResponseHours'
>;

interface StatsLine {
  department: string;
  cases: number;
  onTimeShare: number;
  answeredShare: number;
  medianFirstResponseHours: number | null;
  goodRatingShare: number | null;
  ratings: number;
  overdue: number;
}
// Numbers the Russian way: «1 234», «3,5»; a change with its sign («+5», «−3»), zero as «без изменений».
const RU_NUMBER = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 1 });
const ruNumber = (x: number) => RU_NUMBER.format(x);
const signed = (d: number, unit = '') => (d === 0 ? 'без изменений' : `${d > 0 ? '+' : '−'}${ruNumber(Math.abs(d))}${unit}`);
const percent = (x: number) => `${Math.round(x * 100)} %`;
/** /pages' answer for a person who may see pages. */
type StaffPagesView = Extract<StaffPagesOutcome, { status: 'ok' }>;
const ddmm = (date: string) => `${date.slice(8, 10)}.${date.slice(5, 7)}`;

/** The weekly report's «Официальные страницы»: the count and average score, then what needs attention. */
const weekPagesLines = (p: ReportPages): string[] => [
  'Официальные страницы:',
  `Действуют: ${ruNumber(p.count)}; средний балл: ${p.averageScore === null ? 'ещё не оценивались' : ruNumber(p.averageScore)}.`,
  ...(p.silent ? [`Молчат дольше ${p.silentDays} дн.: ${ruNumber(p.silent)}.`] : []),
  ...(p.unanswered
    ? [`Комментарии жителей без ответа дольше ${ruNumber(p.replyTermHours)} раб. ч: ${ruNumber(p.unanswered)}.`]
    : []),
  ...(p.unreadable ? [`Не удаётся прочитать: ${ruNumber(p.unreadable)}.`] : []),
];

/** The key indicators of the weekly report, each with its change against the week before. */
function weekLines(c: WeekFigures, p: WeekFigures): string[] {
  const change = (now: number | null, before: number | null, diff: (a: number, b: number) => string) =>
    now === null ? '' : before === null ? ' (неделей раньше — нет данных)' : ` (${diff(now, before)})`;
  const points = (a: number, b: number) => signed(Math.round(a * 100) - Math.round(b * 100), ' п. п.');
  const hours = (a: number, b: number) => signed(Math.round((a - b) * 10) / 10, ' ч');
  return [
    `• Поступило обращений: ${ruNumber(c.cases)} (${signed(c.cases - p.cases)})`,
    `• Дан ответ по существу: ${ruNumber(c.answered)} (${signed(c.answered - p.answered)})`,
    `• Ответы в срок: ${c.onTimeShare === null ? '—' : percent(c.onTimeShare)}${change(c.onTimeShare, p.onTimeShare, points)}`,
    `• Первый ответ (медиана): ${c.firstResponseHours === null ? '—' : `${ruNumber(c.firstResponseHours)} раб. ч`}${change(c.firstResponseHours, p.firstResponseHours, hours)}`,
    `• Оценки 4–5: ${c.satisfaction45 === null ? '—' : percent(c.satisfaction45)}${change(c.satisfaction45, p.satisfaction45, points)}`,
  ];
}

const dateOf = (iso: unknown, city: CityClock) => (typeof iso === 'string' ? formatLocal(new Date(iso), city) : '—');

/** An official page's alert (handlers/page-monitoring): the page named by its title or link, then what happened. */
function pageAlert(
  kind: 'page_unreadable' | 'page_silent' | 'page_comments_closed' | 'page_comments_unanswered',
  d: Record<string, unknown>,
  city: CityClock,
): string {
  const page = `${typeof d.title === 'string' && d.title ? `«${d.title}» ` : ''}${String(d.url ?? '')}`;
  const owner = `Владелец: ${String(d.department ?? '—')}`;
  switch (kind) {
    case 'page_unreadable':
      return [`🚫 Официальная страница недоступна: ${page}`, `Причина: ${String(d.reason ?? '—')}`, owner].join('\n');
    case 'page_silent':
      return [
        `🔇 Официальная страница молчит: ${page}`,
        d.lastPostAt ? `Последняя публикация: ${dateOf(d.lastPostAt, city)}` : 'Публикаций нет',
        owner,
      ].join('\n');
    case 'page_comments_closed':
      return [`💬 На официальной странице закрыты комментарии: ${page}`, owner].join('\n');
    case 'page_comments_unanswered':
      return [
        `⏰ Комментарии жителей без ответа дольше ${String(d.termHours ?? '?')} рабочих ч: ${page}`,
        `Стали обращениями: ${String(d.count ?? '?')}`,
        owner,
      ].join('\n');
  }
}

/** The weekly alert while a year is missing from the production calendar (handlers/calendar). */
function calendarMissingAlert(d: Record<string, unknown>): string {
  const years = Array.isArray(d.missing) ? d.missing.map(String) : [];
  const provisional = typeof d.provisionalOpenCases === 'number' ? d.provisionalOpenCases : null;
  return [
    `📅 Нет производственного календаря на ${years.join(' и ') || '?'} год`,
    'Сроки в этих годах считаются только по праздникам ст. 112 ТК РФ, без переносов выходных, и помечаются как предварительные.',
    ...(provisional === null ? [] : [`Открытых обращений с предварительным сроком: ${provisional}.`]),
    'Когда выйдет постановление Правительства РФ о переносе выходных дней, администратор загружает год командой «mcu calendar import» (docs/operations/production-calendar.md). Напоминание повторится через неделю.',
  ].join('\n');
}

/** The first line of a case card: why the official is getting it (null: they asked for the card). */
function cardHeader(notice: OfficialNotice | null, number: string): string {
  switch (notice?.type) {
    case undefined:
      return `Обращение ${number}`;
    case 'assigned':
      return `📥 Новое обращение ${number}`;
    case 'escalate':
      return `⏰ Просрочено: обращение ${number} (эскалация)`;
    case 'before':
      return notice.percent === 100
        ? `⏰ Срок истекает: обращение ${number}`
        : `🔔 Напоминание (${notice.percent} % срока): обращение ${number}`;
    case 'extension_decided':
      return notice.approved
        ? `✅ Срок по обращению ${number} продлён`
        : `❌ Продление срока по обращению ${number} отклонено — ответьте в прежний срок`;
    case 'answer_returned':
      return `↩️ Оператор МЦУ вернул ваш ответ по обращению ${number}: ответьте по существу`;
    case 'reopened':
      return `🔁 Житель не удовлетворён ответом — обращение ${number} возобновлено`;
    case 'citizen_replied':
      return `💬 Житель ответил на уточнение по обращению ${number}`;
    case 'consent_withdrawn':
      return `🚫 Обращение ${number} закрыто: житель отозвал согласие на обработку персональных данных. Отвечать не нужно — ответ некуда доставить`;
  }
}

export const ru = {
  /** A message to the operators' chat about an urgent case or a spike. */
  pollYes: 'Да',
  pollNo: 'Нет',
  pollCommentButton: 'Добавить комментарий',
  pollCommentPrompt: 'Напишите комментарий одним сообщением — мы передадим его вместе с вашей оценкой.',
  pollCommentThanks: 'Спасибо, комментарий передан.',
  operatorAlert: (
    a: {
      kind: AlertKind;
      details: Record<string, unknown>;
      case: { number: string; text: string; category: string | null; district: string | null; urgencyRule: string | null } | null;
      problem: { title: string; caseCount: number; category: string; district: string } | null;
    },
    city: CityClock,
  ): string => {
    const number = a.case?.number ?? '';
    switch (a.kind) {
      case 'reopened':
        return [
          `🔁 Житель не удовлетворён ответом — обращение ${number} возобновлено`,
          clip(a.case?.text ?? '', 200),
          ...(typeof a.details.comment === 'string' ? [`Комментарий жителя: «${clip(a.details.comment, 500)}»`] : []),
        ].join('\n');
      case 'urgent':
        return [
          `🚨 Срочное обращение ${number}`,
          clip(a.case?.text ?? '', 300),
          `Категория: ${a.case?.category ?? 'не определена'}; район: ${a.case?.district ?? 'не определён'}`,
          `Причина срочности: ${a.case?.urgencyRule ?? '—'}`,
        ].join('\n');
      case 'extension_requested':
        return [
          `⏳ Просят продлить срок по обращению ${number}`,
          clip(a.case?.text ?? '', 200),
          `Срок: ${dateOf(a.details.deadline, city)} → ${dateOf(a.details.until, city)}`,
          `Причина: ${String(a.details.reason ?? '—')}`,
        ].join('\n');
      case 'answer_held':
        return [
          `✋ Ответ по обращению ${number} похож на «отписку» и ждёт проверки`,
          `Обращение: ${clip(a.case?.text ?? '', 200)}`,
          `Ответ: ${clip(String(a.details.text ?? ''), 1500)}`,
        ].join('\n');
      case 'reassignment':
        return [
          `↩️ Исполнитель вернул обращение ${number} на распределение`,
          clip(a.case?.text ?? '', 200),
          `Было: ${String(a.details.department ?? '—')}. Причина: ${String(a.details.reason ?? '—')}`,
          'Назначьте подразделение: /assign <номер> <подразделение>',
        ].join('\n');
      case 'spike':
        return [
          `📈 Всплеск обращений: ${a.problem?.caseCount ?? a.details.cases ?? '?'} по теме «${a.problem?.category ?? ''}» в районе ${a.problem?.district ?? ''}`,
          clip(a.problem?.title ?? '', 200),
          a.case ? `Последнее: ${a.case.number}` : '',
        ]
          .filter(Boolean)
          .join('\n');
      case 'page_unreadable':
      case 'page_silent':
      case 'page_comments_closed':
      case 'page_comments_unanswered':
        return pageAlert(a.kind, a.details, city);
      case 'calendar_missing':
        return calendarMissingAlert(a.details);
      case 'consent_withdrawn':
        return `🚫 Обращение ${number} закрыто: житель отозвал согласие на обработку персональных данных. Исполнителя, которого можно уведомить, у него не было. Отвечать не нужно — ответ некуда доставить`;
    }
  },
  approveButton: 'Одобрить',
  rejectButton: 'Отклонить',
  sendAnswerButton: 'Отправить жителю',
  returnAnswerButton: 'Вернуть исполнителю',
  extendButton: 'Продлить срок',
  redirectButton: 'Не наше — вернуть',
  askButton: 'Уточнить у жителя',
  writeQuestion: (number: string) =>
    `Напишите вопрос жителю по обращению ${number} одним сообщением. Пока житель не ответит, срок не идёт.`,
  askResult: (r: { status: string; caseNumber?: string; from?: string }) =>
    r.status === 'asked'
      ? `Вопрос по обращению ${r.caseNumber} отправлен жителю. Срок остановлен до его ответа — вы получите уведомление.`
      : r.status === 'unreachable'
        ? 'Жителю нельзя написать лично: он писал в публичной ветке. Ответьте ему там промежуточным ответом.'
        : r.status === 'invalid_state'
          ? `Сейчас уточнить нельзя: обращение ${STATUS_NAMES[r.from ?? ''] ?? r.from}.`
          : 'Обращение не найдено.',
  openButton: 'Открыть',
  writeExtensionReason: (number: string) =>
    `Напишите одним сообщением, почему нужно больше времени по обращению ${number} (например: «ждём поставку трубы до 20.12»). Запрос уйдёт оператору МЦУ.`,
  writeRedirectReason: (number: string) =>
    `Напишите одним сообщением, почему обращение ${number} не относится к вашему подразделению и кому его передать. Оно вернётся операторам МЦУ на распределение.`,
  extensionResult: (r: { status: string; caseNumber?: string; until?: Date; from?: string }, city: CityClock) => {
    switch (r.status) {
      case 'requested':
        return `Запрос на продление срока по обращению ${r.caseNumber} до ${r.until ? formatLocal(r.until, city) : '—'} отправлен оператору МЦУ.`;
      case 'already_pending':
        return 'Запрос на продление по этому обращению уже ждёт решения оператора.';
      case 'not_allowed':
        return 'Срок по этому обращению продлить нельзя: правила для такого обращения не предусматривают продления.';
      case 'no_deadline':
        return 'У обращения ещё нет срока — продлевать нечего.';
      case 'invalid_state':
        return `Сейчас продлить срок нельзя: обращение ${STATUS_NAMES[r.from ?? ''] ?? r.from}.`;
      default:
        return 'Обращение не найдено.';
    }
  },
  redirectResult: (r: { status: string; caseNumber?: string; from?: string }) =>
    r.status === 'returned'
      ? `Обращение ${r.caseNumber} возвращено операторам МЦУ на распределение. Спасибо!`
      : r.status === 'invalid_state'
        ? `Сейчас вернуть обращение нельзя: оно ${STATUS_NAMES[r.from ?? ''] ?? r.from}.`
        : 'Обращение не найдено.',
  decision: (what: 'extension' | 'answer', r: { status: string; caseNumber?: string; from?: string }, by: string) => {
    switch (r.status) {
      case 'approved':
        return what === 'extension'
          ? `✅ Продление по ${r.caseNumber} одобрено (${by}).`
          : `✅ Ответ по ${r.caseNumber} отправлен жителю (${by}).`;
      case 'rejected':
        return what === 'extension'
          ? `❌ Продление по ${r.caseNumber} отклонено (${by}).`
          : `↩️ Ответ по ${r.caseNumber} возвращён исполнителю (${by}).`;
      case 'already_decided':
      case 'already_reviewed':
        return 'Решение уже принято.';
      case 'invalid_transition':
        return `Ответ нельзя отправить: обращение ${STATUS_NAMES[r.from ?? ''] ?? r.from}.`;
      default:
        return 'Не найдено.';
    }
  },
  welcome: (city: CityName) =>
    [
      `Здравствуйте! Это бот Муниципального центра управления (МЦУ) ${city.nameGenitive ? `города ${city.nameGenitive}` : `— ${city.name}`}.`,
      '',
      'Напишите, что случилось: нет воды или отопления, яма на дороге, не вывозят мусор, не горит фонарь — ',
      'мы передадим обращение в ответственное подразделение администрации и проследим, чтобы вам ответили в срок.',
    ].join('\n'),
  consentPrompt: [
    'Чтобы передать ваше сообщение в администрацию, нам нужно ваше согласие на обработку персональных данных',
    '(152-ФЗ): имени и идентификатора в мессенджере, текста сообщений, фото и геопозиции.',
    'Они нужны только для рассмотрения обращения и ответа вам, хранятся в России и удаляются по истечении срока хранения.',
    '',
    'Вы согласны?',
  ].join('\n'),
  consentYes: 'Согласен(на)',
  consentNo: 'Не согласен(на)',
  consentGiven: 'Спасибо! Теперь опишите проблему одним сообщением: что случилось, где (адрес или ориентир) и с какого времени.',
  consentDeclined:
    'Хорошо, мы не будем хранить ваши данные. Без согласия мы не можем принять обращение. Если передумаете — отправьте /start.',
  consentRequired: 'Сначала нужно ваше согласие на обработку персональных данных — нажмите кнопку ниже.',
  /** /forget without «да»: what it does, and how to confirm (it cannot be undone). */
  forgetConfirm: [
    'Отзыв согласия на обработку персональных данных (152-ФЗ):',
    '• ваше имя, идентификатор в мессенджере и ссылки будут удалены, а в текстах обращений скрыты телефоны, адреса и имена;',
    '• обращения, которые ещё рассматриваются, будут закрыты — ответ прийти не сможет;',
    '• подписка на рассылки будет отменена.',
    'Это необратимо. Чтобы подтвердить, отправьте: /forget да',
  ].join('\n'),
  /** After /forget да: done, with the cases that were closed. */
  forgotten: (closedCases: readonly string[]) =>
    [
      'Готово: согласие отозвано, ваши персональные данные удалены.',
      ...(closedCases.length > 0 ? [`Закрыты обращения: ${closedCases.join(', ')}.`] : []),
      'Если понадобится снова обратиться — отправьте /start.',
    ].join('\n'),
  /** /forget да from someone we hold nothing about (or already forgot). */
  forgetNothing: 'Мы не храним ваших персональных данных. Если понадобится обратиться — отправьте /start.',
  declinedInfo:
    'Вы отказались от обработки персональных данных, поэтому мы не можем принять сообщение. Чтобы изменить решение — /start.',
  help: [
    'Как пользоваться ботом:',
    '• опишите проблему одним сообщением: что, где (адрес или ориентир) и с какого времени;',
    '• можно приложить фото, голосовое сообщение или геопозицию;',
    '• /status — ваши обращения и их состояние;',
    '• /subscribe — рассылки МЦУ по районам и темам (отключения, ремонты, сезонные работы);',
    '• /unsubscribe — отписаться от рассылок;',
    '• /forget — отозвать согласие и удалить ваши персональные данные;',
    '• /help — эта подсказка.',
    '',
    'Экстренные службы: 112.',
  ].join('\n'),
  caseOpened: (caseNumber: string, firstResponse: string) =>
    [
      `Обращение зарегистрировано под номером ${caseNumber}.`,
      `Ответ ожидается в течение ${formatDuration(firstResponse)}. Мы сообщим о ходе рассмотрения здесь.`,
      'Если хотите что-то добавить — просто напишите, сообщение присоединится к этому обращению.',
    ].join('\n'),
  caseExtended: (caseNumber: string) => `Дополнение принято и присоединено к обращению ${caseNumber}.`,
  /** The text of a notification to a citizen, on any channel. */
  citizenNotification: (n: CitizenNotification, city: CityClock): string => {
    switch (n.kind) {
      case 'case_opened':
        return ru.caseOpened(n.caseNumber, n.firstResponse);
      case 'case_extended':
        return ru.caseExtended(n.caseNumber);
      case 'question':
        return `Уточнение по обращению ${n.caseNumber}:\n\n${n.text}\n\nОтветьте, пожалуйста, одним сообщением здесь — оно будет присоединено к обращению.`;
      case 'case_merged':
        return `Ваше обращение ${n.caseNumber} объединено с обращением ${n.intoNumber} о той же проблеме. Ответ по нему придёт сюда же.`;
      case 'deadline_extended':
        return `Срок рассмотрения обращения ${n.caseNumber} продлён до ${formatLocal(new Date(n.until), city)}. Причина: ${n.reason}`;
      case 'thanks_received':
        return 'Спасибо за добрые слова! Мы передадим их исполнителям.';
      case 'need_details':
        return 'Здравствуйте! Опишите, пожалуйста, проблему одним сообщением: что случилось, где (адрес или ориентир) и с какого времени.';
      case 'poll':
        return `${n.reminder ? 'Напоминаем: ' : ''}по обращению ${n.caseNumber} дан ответ. Проблема решена?`;
      case 'poll_rate':
        return `Оцените, пожалуйста, работу по обращению ${n.caseNumber} от 1 до 5.`;
      case 'poll_thanks':
        return n.reopened
          ? 'Спасибо. Обращение возобновлено — мы передали его исполнителю и операторам МЦУ.'
          : 'Спасибо за оценку! Обращение закрыто.';
      case 'poll_comment_thanks':
        return ru.pollCommentThanks;
      case 'intent_question':
        return `Уточните, пожалуйста: это обращение о проблеме, которую нужно передать в администрацию? Если не ответите в течение ${n.waitMinutes} мин, зарегистрируем сообщение как обращение.`;
      case 'not_an_appeal':
        return 'Понятно, обращение не регистрируем. Если появится проблема — опишите её здесь одним сообщением.';
      case 'follow_up_choice':
        return `Это дополнение к обращению ${n.caseNumber} или новое обращение? Похоже, сообщение о другой проблеме. Выберите, пожалуйста, кнопкой ниже. Если не выберете в течение ${n.waitMinutes} мин, зарегистрируем его как новое обращение.`;
    }
  },
  newCaseButton: 'Новое обращение',
  /** Under «это обращение?» (VK labels stay under 40 characters). */
  intentAppealButton: 'Да, это обращение',
  intentNotAppealButton: 'Нет, не обращение',
  /** Under «дополнение или новое обращение?» (VK labels stay under 40 characters: «…МЦУ-2026-000123» is 38). */
  followUpAdditionButton: (caseNumber: string) => `Дополнение к обращению ${caseNumber}`,
  newCasePrompt: 'Хорошо. Опишите новую проблему одним сообщением — она будет зарегистрирована отдельно.',
  statusEmpty: 'У вас пока нет обращений. Опишите проблему одним сообщением — мы зарегистрируем её.',
  statusTitle: 'Ваши обращения:',
  statusLine: (number: string, status: string, text: string) =>
    `• ${number} — ${STATUS_NAMES[status] ?? status}${text ? `: ${text.length > 60 ? `${text.slice(0, 60)}…` : text}` : ''}`,
  unsupported: 'Пока я понимаю текст, фото с подписью, документы, голосовые сообщения и геопозицию.',
  internalError: 'Извините, произошла ошибка. Попробуйте, пожалуйста, ещё раз чуть позже.',
  staleButton: 'Эта кнопка уже неактуальна.',
  forbidden: 'Недостаточно прав.',
  consoleLink: (url: string, expiresAt: Date, city: CityClock) =>
    `Вход в консоль МЦУ: ${url}\nСсылка одноразовая и действует до ${formatLocal(expiresAt, city)}. Не пересылайте её никому.`,
  consoleLinkButton: 'Открыть консоль',
  takeButton: 'Взять в работу',
  answerButton: 'Ответить',
  interimButton: 'Промежуточный ответ',
  forceButton: 'Отправить всё равно',
  writeAnswer: (number: string, kind: 'interim' | 'final') =>
    `Напишите ${kind === 'final' ? 'ответ по существу' : 'промежуточный ответ'} по обращению ${number} одним сообщением: что сделано или будет сделано, когда и кто отвечает.`,
  officialNoCase: 'Чтобы ответить, нажмите «Ответить» под карточкой обращения или ответьте (reply) на сообщение с его номером.',
  answerNeedsRevision: (problems: readonly string[]) =>
    [
      'Ответ похож на «отписку»:',
      ...problems.map((p) => `• ${ANSWER_PROBLEMS[p] ?? p}`),
      'Исправьте и отправьте заново или нажмите «Отправить всё равно».',
    ].join('\n'),
  answerSent: (number: string) => `Ответ по обращению ${number} отправлен жителю.`,
  answerRecordedOnPage: (number: string) =>
    `Ответ по обращению ${number} записан. Бот не публикует его в канале: ответьте жителю в комментариях на странице — ответ страницы МЦУ увидит сам.`,
  /** Under the card of a case from a channel's comment (MAX): where the answer must be given. */
  answerOnPageHint: 'Ответ дайте в комментариях на странице (кнопка «Открыть»): бот не публикует ответы в канале.',
  answerHeld: (number: string) => `Ответ по обращению ${number} передан оператору МЦУ на проверку.`,
  answerNotAllowed: (status: string) => `Сейчас на обращение нельзя ответить: оно ${STATUS_NAMES[status] ?? status}.`,
  taken: 'Обращение взято в работу.',
  reminderCard: (c: CaseCard, city: CityClock) =>
    [
      cardHeader(c.kind, c.number),
      `${c.priority === 'urgent' ? '🚨 Срочное. ' : ''}${c.text.length > 300 ? `${c.text.slice(0, 300)}…` : c.text}`,
      `Канал: ${c.channel}; район: ${c.district ?? 'не определён'}; срок: ${c.deadlineAt ? formatLocal(c.deadlineAt, city) : '—'}${c.deadlineAt && c.deadlineProvisional ? ' (предварительный)' : ''}`,
      ...(c.answerOnPage ? [ru.answerOnPageHint] : []),
    ].join('\n'),
  answerToCitizen: (text: string) => `Ответ по вашему обращению:\n\n${text}`,
  /** A broadcast as it reaches people: the emergency mark on its own line, the title on its own, then the text. */
  broadcastMessage: {
    unsubscribeButton: 'Отписаться',
    /** «‼️ Экстренное сообщение» (BROADCAST_EMERGENCY_MARK) above an emergency one's title, the title, the text. */
    text: broadcastMessageText,
  },
  /** The morning digest on working days: one message per person, only when something is open. */
  morningDigest: (d: Digest, city: CityClock): string => {
    const [y, m, day] = d.date.split('-');
    const lines = [`☀️ Сводка на ${day}.${m}.${y}`];
    if (d.department) {
      const dep = d.department;
      lines.push(
        '',
        `${dep.name}: открытых обращений — ${dep.open} (просрочено: ${dep.overdue}, срок сегодня: ${dep.dueToday}).`,
      );
      const titles = { overdue: '⏰ Просрочено:', today: '📅 Срок сегодня:', later: 'Остальные:' } as const;
      let group: keyof typeof titles | null = null;
      for (const c of dep.cases) {
        if (c.due !== group) lines.push(titles[c.due]);
        group = c.due;
        lines.push(ru.myCaseLine(c, city));
      }
      if (dep.open > dep.cases.length) lines.push(`…и ещё ${dep.open - dep.cases.length}.`);
    }
    if (d.city) {
      lines.push('', `По городу: открытых обращений — ${d.city.open}, просрочено — ${d.city.overdue}.`);
      for (const x of d.city.departments) lines.push(`• ${x.name}: ${x.open}${x.overdue ? ` (просрочено ${x.overdue})` : ''}`);
      if (d.city.more > 0) lines.push(`…и ещё подразделений: ${d.city.more}. Просроченные по всем — /overdue all.`);
    }
    if (d.triage) lines.push('', `Ждут распределения: ${d.triage}. Очередь — /queue.`);
    return lines.join('\n');
  },
  /** The weekly report (regulation 2.1.5, 4.3): the key indicators with their changes, problems, who is late. */
  weeklyReport: (r: WeeklyReport): string => {
    const status: Record<string, string> = { open: 'открыта', in_work: 'в работе', recurring: 'повторяется' };
    const lines = [`📊 Еженедельный отчёт за ${ddmm(r.week.from)}–${ddmm(r.week.to)}.${r.week.to.slice(0, 4)}`];
    if (r.name) lines.push(r.name);
    lines.push('', 'Показатели (к предыдущей неделе):', ...weekLines(r.current, r.previous));
    lines.push(`Просрочено сейчас: ${ruNumber(r.overdueNow)}.`);
    if (r.rank) {
      const k = r.rank;
      lines.push(
        k.rank === null
          ? 'Место в рейтинге: вне рейтинга (мало обращений или нечего оценить).'
          : `Место в рейтинге: ${k.rank} из ${k.of}${k.previousRank === null ? '' : ` (неделей раньше — ${k.previousRank})`}` +
              `${k.score === null ? '' : `, балл ${ruNumber(Math.round(k.score))}${k.scoreDelta ? ` (${signed(Math.round(k.scoreDelta))})` : ''}`}.`,
      );
    }
    if (r.problems.length > 0)
      lines.push(
        '',
        'Главные проблемы (обращений за 7 дней, рост к прошлым 7):',
        ...r.problems.map(
          (p) =>
            `• ${p.title} — ${ruNumber(p.recent)}${p.growth > 0 ? ` (▲${ruNumber(p.growth)})` : ''}; ${status[p.status] ?? p.status}`,
        ),
      );
    if (r.late) {
      lines.push('', `Отстают (в срок меньше ${percent(r.late.threshold)} или есть просроченные):`);
      for (const d of r.late.departments)
        lines.push(
          `• ${d.name}: ${[
            d.onTimeShare === null ? null : `в срок ${percent(d.onTimeShare)}`,
            d.overdue > 0 ? `просрочено ${ruNumber(d.overdue)}` : null,
          ]
            .filter(Boolean)
            .join(', ')}`,
        );
      if (r.late.more > 0) lines.push(`…и ещё подразделений: ${r.late.more}. Просроченные по всем — /overdue all.`);
    }
    const scored = (d: { name: string; score: number | null }) =>
      `${d.name} — ${d.score === null ? '—' : `${ruNumber(Math.round(d.score))} б.`}`;
    if (r.best && r.best.length > 0) lines.push('', `Лучшие по баллу: ${r.best.map(scored).join('; ')}.`);
    if (r.worst && r.worst.length > 0) lines.push(`Худшие по баллу: ${r.worst.map(scored).join('; ')}.`);
    if (r.pages) lines.push('', ...weekPagesLines(r.pages));
    if (r.recommendations.length > 0) lines.push('', 'Рекомендации:', ...r.recommendations.map((x) => `• ${x}`));
    return lines.join('\n');
  },
  reportEmpty: 'За прошлую неделю обращений не было, просроченных и открытых проблем нет.',
  officialBound: (name: string, role: string, department: string) =>
    `Здравствуйте, ${name}! Вы подключены к боту МЦУ: ${role}, ${department}. Обращения вашего подразделения — /my.`,
  inviteRefused: {
    unknown: 'Ссылка-приглашение не найдена. Попросите МЦУ выслать новую.',
    expired: 'Срок действия приглашения истёк. Попросите МЦУ выслать новое.',
    used: 'Это приглашение уже использовано. Если это были не вы — сообщите в МЦУ.',
    deactivated: 'Доступ по этому приглашению отозван.',
  } as Record<'unknown' | 'expired' | 'used' | 'deactivated', string>,
  officialHelp: [
    'Для сотрудников:',
    '• карточка обращения приходит сюда; под ней — «Взять в работу», «Ответить», «Промежуточный ответ»,',
    '  «Продлить срок», «Уточнить у жителя» (срок останавливается до ответа), «Не наше — вернуть»;',
    '• ответить можно и ответом (reply) на сообщение с номером обращения;',
    '• /my — открытые обращения подразделения; /overdue — просроченные (/overdue all — всех);',
    '• /case МЦУ-2026-000123 — карточка обращения; /stats — рейтинг подразделений (для кураторов и МЦУ);',
    '• /rating [дней] — рейтинг по регламенту (руководителю подразделения — его строка); /problems — главные проблемы города.',
    '• /report — еженедельный отчёт за прошлую неделю (руководителям подразделений — по их подразделению).',
    '• /pages — официальные страницы подразделения в VK, Telegram и MAX: балл и что с ними не так.',
    '• /login — одноразовая ссылка для входа в веб-консоль МЦУ (действует 5 минут).',
  ].join('\n'),
  operatorHelp: [
    'Для операторов МЦУ:',
    '• /queue — ждут распределения; /category <номер> <категория> — исправить категорию;',
    '• /assign <номер> <подразделение | номер сотрудника> — передать; /merge <дубликат> <основное> — объединить;',
    '• /broadcast — рассылка жителям: текст → кому (все подписчики или район) → предпросмотр → запуск, ход виден в одном сообщении;',
    '• продления сроков и ответы, похожие на «отписку», приходят в чат операторов с кнопками решения.',
  ].join('\n'),
  unknownCommand: 'Такой команды нет.',
  /** An official answered from MAX with a photo: the text went, the photo did not. */
  maxPhotosNotAttached:
    'Фото из MAX пока не прикладываются к ответу: ответ ушёл без них. Чтобы приложить фото, ответьте из Telegram или через МЦУ.',
  /** /help for a citizen (null), an official, or an operator (who also sees the officials' part). */
  helpFor: (staff: 'operator' | 'official' | null): string =>
    staff === null ? ru.help : staff === 'operator' ? `${ru.officialHelp}\n\n${ru.operatorHelp}` : ru.officialHelp,
  caseUsage: 'Команда: /case МЦУ-2026-000123',
  caseNotFound: (number: string) => `Обращение ${number} не найдено.`,
  queueEmpty: 'Очередь на распределение пуста.',
  queueTitle: 'Ждут распределения (категория или подразделение):',
  /** The classifier's best guesses under a triage case: « → roads 62 %, yards 21 %». */
  suggestionsLine: (suggestions: unknown): string => {
    const list = Array.isArray(suggestions)
      ? suggestions.filter(
          (s): s is { label: string; confidence: number } => typeof s?.label === 'string' && typeof s?.confidence === 'number',
        )
      : [];
    return list.length === 0
      ? ''
      : `\n   → ${list
          .slice(0, 3)
          .map((s) => `${s.label} ${Math.round(s.confidence * 100)} %`)
          .join(', ')}`;
  },
  categoryUsage: 'Команда: /category МЦУ-2026-000123 <категория> — например, /category МЦУ-2026-000123 roads.',
  categoryResult: (
    r: { status: string; category?: string; department?: string; known?: string[] },
    number: string,
    category: string,
  ) => {
    switch (r.status) {
      case 'corrected':
        return `Обращение ${number}: категория «${r.category}», передано в «${r.department}».`;
      case 'unchanged':
        return `У обращения ${number} уже категория «${category}».`;
      case 'not_found':
        return `Обращение ${number} не найдено.`;
      case 'unknown_category':
        return `Нет категории «${category}». Есть: ${(r.known ?? []).join(', ')}.`;
      default:
        return 'Недостаточно прав.';
    }
  },
  assignUsage:
    'Команда: /assign МЦУ-2026-000123 <подразделение или номер сотрудника> — например, /assign МЦУ-2026-000123 roads или /assign МЦУ-2026-000123 17.',
  assignResult: (
    r: { status: string; department?: string; officialName?: string | null; from?: string },
    number: string,
    target: string,
  ) => {
    switch (r.status) {
      case 'assigned':
        return `Обращение ${number} передано: ${r.department}${r.officialName ? `, исполнитель — ${r.officialName}` : ''}. Исполнители получили карточку.`;
      case 'unchanged':
        return `Обращение ${number} уже у «${target}».`;
      case 'unknown_department':
        return `Нет подразделения «${target}». Идентификаторы подразделений — в доменном файле (раздел departments).`;
      case 'unknown_official':
        return `Нет активного сотрудника с номером ${target}.`;
      case 'invalid_state':
        return `Обращение ${number} нельзя передать: оно ${STATUS_NAMES[r.from ?? ''] ?? r.from}.`;
      case 'not_found':
        return `Обращение ${number} не найдено.`;
      default:
        return 'Недостаточно прав.';
    }
  },
  mergeUsage: 'Команда: /merge <дубликат> <основное> — например, /merge МЦУ-2026-000124 МЦУ-2026-000123.',
  mergeResult: (r: { status: string; which?: string; from?: string }, number: string, into: string) => {
    switch (r.status) {
      case 'merged':
        return `Обращение ${number} объединено с ${into}: оно закрыто как дубликат, житель получит ответ по ${into}.`;
      case 'same_case':
        return 'Нельзя объединить обращение само с собой.';
      case 'already_merged':
        return `Обращение ${number} уже объединено с другим.`;
      case 'invalid_state':
        return `Нельзя объединить: обращение ${r.which === 'into' ? into : number} ${r.from === 'merged' ? 'само объединено с другим' : (STATUS_NAMES[r.from ?? ''] ?? r.from)}.`;
      case 'not_found':
        return 'Обращение не найдено — проверьте номера.';
      default:
        return 'Недостаточно прав.';
    }
  },
  statsUsage: 'Команда: /stats — рейтинг подразделений за 30 дней; /stats 7 — за 7 дней (от 1 до 366).',
  stats: (
    r: {
      ranked: StatsLine[];
      tooFew: StatsLine[];
      minCases: number;
      totals: { cases: number; answered: number; answeredOnTime: number; overdue: number };
    },
    days: number,
    name: (department: string) => string,
  ) => {
    const pct = (x: number) => `${Math.round(x * 100)} %`;
    const line = (d: StatsLine, i?: number) =>
      `${i === undefined ? '•' : `${i + 1}.`} ${name(d.department)}: обращений ${d.cases}, в срок ${pct(d.onTimeShare)}, с ответом ${pct(d.answeredShare)}` +
      `${d.medianFirstResponseHours === null ? '' : `, первый ответ ~${d.medianFirstResponseHours} ч`}` +
      `${d.goodRatingShare === null ? '' : `, оценки 4–5: ${pct(d.goodRatingShare)} из ${d.ratings}`}` +
      `${d.overdue > 0 ? `, просрочено сейчас: ${d.overdue}` : ''}`;
    const t = r.totals;
    return [
      `За ${days} дн.: обращений — ${t.cases}, с ответом — ${t.answered}, в срок — ${t.answeredOnTime}, просрочено сейчас — ${t.overdue}.`,
      ...(r.ranked.length > 0 ? ['', 'Рейтинг (доля ответов в срок):', ...r.ranked.slice(0, 15).map((d, i) => line(d, i))] : []),
      ...(r.tooFew.length > 0
        ? ['', `Меньше ${r.minCases} обращений — без места в рейтинге:`, ...r.tooFew.slice(0, 10).map((d) => line(d))]
        : []),
      ...(t.cases === 0 ? ['Обращений за период нет.'] : []),
    ].join('\n');
  },
  overdueUsage: 'Команда: /overdue — просроченные обращения вашего подразделения; /overdue all — всех подразделений.',
  overdueEmpty: (where: string) => `Просроченных обращений нет (${where}).`,
  overdueTitle: (where: string) => `Просроченные обращения — ${where}:`,
  myCasesEmpty: (department: string) => `Открытых обращений у подразделения «${department}» нет.`,
  myCasesTitle: (department: string) => `Открытые обращения — ${department}:`,
  myCaseLine: (c: { number: string; status: string; text: string; priority: string; deadlineAt: Date | null }, city: CityClock) =>
    `• ${c.priority === 'urgent' ? '🚨 ' : ''}${c.number} — ${STATUS_NAMES[c.status] ?? c.status}${
      c.deadlineAt ? `, срок ${formatLocal(c.deadlineAt, city)}` : ''
    }: ${c.text.length > 60 ? `${c.text.slice(0, 60)}…` : c.text}`,
  /** The command menu of officials and МЦУ staff (set for their chat when they bind). */
  ratingUsage: 'Команда: /rating — рейтинг подразделений за 30 дней; /rating 7 — за 7 дней (от 1 до 366).',
  /** /rating: the ratings of regulation 2.2.6, ranked, then the departments listed apart. */
  rating: (
    r: {
      ranked: RatingLine[];
      unranked: RatingLine[];
      minCases: number;
    },
    days: number,
    own: string | null,
  ): string => {
    const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)} %`);
    const num = (x: number | null, digits = 1) => (x === null ? '—' : x.toFixed(digits).replace('.', ','));
    const trend = (d: number | null) => (d === null || d === 0 ? '' : d > 0 ? ` ▲${num(d, 0)}` : ` ▼${num(-d, 0)}`);
    const line = (d: RatingLine) =>
      `${d.rank === null ? '•' : `${d.rank}.`} ${d.name} — ${d.score === null ? 'нет оценки' : `${num(d.score, 0)} б.${trend(d.trend.scoreDelta)}`}: ` +
      `обращений ${d.cases}, в срок ${pct(d.onTimeShare)}, полнота ответов ${pct(d.completeness.share)}, ` +
      `довольны ${pct(d.satisfaction.share45)}, первый ответ ${d.firstResponseHours.median === null ? '—' : `${num(d.firstResponseHours.median)} раб. ч (медиана)`}`;
    const title = own ? `Рейтинг вашего подразделения за ${days} дн.:` : `Рейтинг подразделений за ${days} дн.:`;
    if (r.ranked.length === 0 && r.unranked.length === 0)
      return `${title}
За этот период обращений нет.`;
    const apart =
      r.unranked.length === 0
        ? []
        : ['', `Вне рейтинга (меньше ${r.minCases} обращений или нечего оценить):`, ...r.unranked.map(line)];
    return [
      title,
      ...r.ranked.map(line),
      ...apart,
      '',
      'Методика: баллы — взвешенные доли (в срок, с ответом, полнота, довольны, без повторных жалоб).',
    ].join('\n');
  },
  // ---- Официальные страницы: /pages (docs/architecture/official-pages.md) ----
  /** /pages: the department's (or every) official page, those needing attention first, with the latest score. */
  pages: (r: StaffPagesView): string => {
    const where = r.scope === 'all' ? 'все подразделения' : r.scope.name;
    const c = r.counts;
    if (c.active + c.planned === 0)
      return `Официальных страниц в реестре нет (${where}). Добавляет их МЦУ: консоль, раздел «Страницы».`;
    const head = [
      `Официальные страницы — ${where}: действуют ${ruNumber(c.active)}${c.planned ? `, планируются ${ruNumber(c.planned)}` : ''}.`,
      `Средний балл: ${c.averageScore === null ? 'ещё не оценивались' : ruNumber(c.averageScore)}${c.unreadable ? `; не читаются: ${ruNumber(c.unreadable)}` : ''}.`,
    ];
    const lines = r.items.map((p) => {
      const state =
        p.status === 'planned'
          ? 'планируется'
          : p.readable === false
            ? `не читается${p.reason ? `: ${clip(p.reason, 80)}` : ''}`
            : p.score === null
              ? 'ещё не проверялась'
              : `${ruNumber(p.score)} б.`;
      return `• ${clip(p.name, 60)} (${CHANNEL_NAMES[p.platform] ?? p.platform}) — ${state}`;
    });
    const shown = r.items.length;
    const more = c.active + c.planned - shown;
    return [
      ...head,
      '',
      ...lines,
      ...(more > 0 ? [`…и ещё ${ruNumber(more)}. Все страницы — в консоли, раздел «Страницы».`] : []),
    ].join('\n');
  },
  /** /problems: the largest problems that need attention. */
  problems: (items: readonly { title: string; volume: number; status: string; trend: { recent: number; growth: number } }[]) => {
    const status: Record<string, string> = { open: 'открыта', in_work: 'в работе', recurring: 'повторяется', resolved: 'решена' };
    if (items.length === 0) return 'Открытых проблем нет.';
    return [
      'Главные проблемы (обращений всего; за 30 дней, рост к прошлым 30):',
      ...items.map(
        (p) =>
          `• ${p.title} — ${p.volume}; за 30 дней ${p.trend.recent}${p.trend.growth > 0 ? ` (▲${p.trend.growth})` : ''}; ${status[p.status] ?? p.status}`,
      ),
    ].join('\n');
  },
  // ---- Подписки: /subscribe, /unsubscribe, «Отписаться» под рассылкой (docs/architecture/broadcasts.md#подписки) ----
  subscriptions: {
    /** The /subscribe screen: what is chosen and what «Готово» will do. */
    screen: (v: { active: boolean; optedOut: boolean; districts: SubscriptionOptions; topics: SubscriptionOptions }) =>
      [
        'Рассылки МЦУ: отключения, ремонты, сезонные работы и другие новости города — по районам и темам.',
        '',
        `Районы: ${chosenNames(v.districts, 'весь город')}.`,
        ...(v.topics.length > 0 ? [`Темы: ${chosenNames(v.topics, 'все темы')}.`] : []),
        '',
        v.active
          ? 'Подписка действует. Каждое нажатие сохраняется сразу; «Готово» — закончить настройку.'
          : v.optedOut
            ? 'Вы отказались от всех рассылок. Чтобы снова их получать, отметьте районы и темы и нажмите «Готово».'
            : 'Подписка ещё не оформлена: отметьте районы и темы (ничего не отмечено — весь город и все темы) и нажмите «Готово».',
      ].join('\n'),
    /** VK shows at most 10 buttons under a message: the topics come in a second message. */
    topicsTitle: 'Темы рассылок (ничего не отмечено — все темы):',
    more: 'Ещё варианты:',
    chosen: (label: string) => `✓ ${label}`,
    wholeCityButton: 'Весь город',
    doneButton: 'Готово',
    unsubscribeAllButton: 'Отписаться от всех',
    subscribed: (v: { districts: SubscriptionOptions; topics: SubscriptionOptions }) =>
      [
        'Готово! Вы подписаны на рассылки МЦУ.',
        `Районы: ${chosenNames(v.districts, 'весь город')}.`,
        ...(v.topics.length > 0 ? [`Темы: ${chosenNames(v.topics, 'все темы')}.`] : []),
        'Изменить — /subscribe, отписаться — /unsubscribe или кнопка «Отписаться» под любой рассылкой.',
      ].join('\n'),
    privateOnly: 'Подписаться на рассылки или отписаться от них можно только в личном чате с ботом — напишите мне лично.',
    stale: 'Этого района или темы больше нет в списке — вот актуальные варианты.',
    unsubscribed: [
      'Вы отписались от рассылок по районам и темам.',
      'Сообщения о ваших собственных обращениях (например, что проблема устранена) по-прежнему будут приходить;',
      'чтобы отказаться и от них, нажмите «Отписаться» под любой рассылкой. Подписаться снова — /subscribe.',
    ].join('\n'),
    notSubscribed: 'Вы не подписаны на рассылки. Подписаться — /subscribe.',
    optedOut: [
      'Вы отписались от всех рассылок МЦУ: больше не придёт ни одной, даже о ваших обращениях.',
      'Ответы по вашим обращениям приходят как прежде. Подписаться снова — /subscribe.',
    ].join('\n'),
    /** VK: messages.isMessagesFromGroupAllowed said no. */
    vkMessagesNotAllowed: [
      'Сейчас сообщество не может присылать вам сообщения, поэтому рассылки до вас не дойдут.',
      'Разрешите сообщения: откройте страницу сообщества, нажмите «Сообщение» или «⋯» и выберите «Разрешить сообщения».',
      'Потом снова нажмите «Готово».',
    ].join('\n'),
  },
  // ---- Рассылки из бота сотрудника: /broadcast, аудитория, предпросмотр, согласование, ход и итог ----
  // (docs/architecture/broadcasts.md#рассылка-из-бота-сотрудника)
  broadcastStaff: {
    askText: [
      'Пришлите текст рассылки одним сообщением.',
      'Первая строка станет заголовком (до 80 символов), остальное — текстом; до 4000 символов.',
      'Потом выберете, кому отправить, и увидите, сколько человек её получат, — до запуска ничего не уйдёт.',
    ].join('\n'),
    notAllowed: 'Рассылки жителям готовят операторы МЦУ и руководители. Если вам нужно что-то разослать — обратитесь в МЦУ.',
    /** The draft is saved: who should get it? (and whether it is an emergency one) */
    chooseAudience: (title: string, priority: 'normal' | 'emergency' = 'normal') =>
      priority === 'emergency'
        ? `Черновик «${title}» сохранён — экстренная рассылка: уйдёт сразу, даже ночью, раньше обычных. Кому отправить?`
        : `Черновик «${title}» сохранён. Кому отправить?`,
    everyoneButton: 'Все подписчики',
    problemButton: 'Жителям по проблеме',
    /** The «Экстренная» toggle: pressing it makes the draft an emergency one (or a normal one again). */
    emergencyButton: (on: boolean) => (on ? '✅ Экстренная' : '🚨 Экстренная'),
    emergencyOn: 'Рассылка экстренная: без тихих часов и раньше обычных.',
    emergencyOff: 'Рассылка обычная.',
    /** «Жителям по проблеме»: the largest problems to choose from. */
    chooseProblem: [
      'Кому по проблеме? Рассылка уйдёт жителям, чьи обращения связаны с ней, — даже без подписки: она об их обращении.',
      'Крупнейшие нерешённые проблемы:',
    ].join('\n'),
    problemChoice: (p: { id: number; title: string; cases: number }) => clip(`№ ${p.id} · ${p.title} (${count(p.cases)})`, 60),
    noProblems: 'Нерешённых проблем сейчас нет. Выберите подписчиков или отмените черновик.',
    startButton: 'Запустить',
    toApprovalButton: 'Отправить на согласование',
    cancelButton: 'Отменить',
    approveButton: 'Одобрить',
    pauseButton: 'Пауза',
    resumeButton: 'Продолжить',
    photoNotAttached:
      'Фото в рассылку из бота не добавляется: она уйдёт текстом (картинку можно приложить через API, поле photoUrl).',
    /** `allowed`: characters the text may have with its title (and the emergency mark) in one message. */
    textTooLong: (allowed: number) =>
      `Текст не помещается в одно сообщение: с заголовком в нём может быть не больше ${count(allowed)} символов. Сократите его и пришлите снова.`,
    tooLongForEmergency: (allowed: number) =>
      `С пометкой «Экстренное сообщение» текст не помещается в одно сообщение: сократите его до ${count(allowed)} символов.`,
    textRefused: 'Этот текст не подходит для рассылки (пустой или слишком длинный). Пришлите другой.',
    unknownDistrict: 'Такого района больше нет в списке. Выберите аудиторию ещё раз: /broadcast.',
    unknownProblem: 'Такой проблемы больше нет. Выберите аудиторию ещё раз.',
    /** Who gets it: a district's subscribers or all of them (or the citizens of a problem's cases). */
    audience: (district: string | null, problem: string | null = null) =>
      problem !== null
        ? `жители, чьи обращения связаны с проблемой «${problem}»`
        : district
          ? `подписчики района «${district}»`
          : 'все подписчики',
    preview: (p: StaffBroadcastPreview) => {
      const channels = Object.entries(p.byChannel)
        .filter(([, n]) => (n ?? 0) > 0)
        .map(([c, n]) => `${CHANNEL_NAMES[c] ?? c} ${count(n ?? 0)}`)
        .join(', ');
      const excluded =
        p.excluded.optedOut + p.excluded.noPrivateChat > 0
          ? [
              `Не получат: отказались от всех рассылок — ${count(p.excluded.optedOut)}, не писали боту в личные сообщения — ${count(p.excluded.noPrivateChat)}.`,
            ]
          : [];
      const lines = [
        `Рассылка «${p.title}» — ${ru.broadcastStaff.audience(p.district, p.problem ?? null)}.`,
        ...(p.emergency ? ['Экстренная: уйдёт сразу, в том числе в тихие часы, раньше обычных рассылок.'] : []),
        p.recipients === 0
          ? `Никто её не получит: ${p.problem != null ? ru.broadcastStaff.nobodyInProblem : ru.broadcastStaff.nobody(p.district)}`
          : `Получателей: ${count(p.recipients)}${channels ? ` (${channels})` : ''}.`,
        ...excluded,
        ...(p.recipients > 0 && p.needsApproval
          ? [
              p.approved
                ? 'Согласование получено — можно запускать.'
                : `Получателей больше ${count(p.approvalThreshold)}: перед запуском рассылку должен одобрить второй сотрудник.`,
            ]
          : []),
        ...(p.unsendable.length > 0
          ? [
              `Отправлять в ${p.unsendable.map((c) => CHANNEL_NAMES[c] ?? c).join(', ')} этот сервер сейчас не может: эти получатели будут пропущены.`,
            ]
          : []),
        '',
        clip(p.text, 500),
      ];
      return lines.join('\n');
    },
    /** Why a segment reaches nobody (EMPTY_SEGMENT), in words an author can act on. */
    nobody: (district: string | null) =>
      district
        ? 'в этом районе нет подписчиков, которым можно написать. Выберите другой район или всех подписчиков.'
        : 'подписчиков, которым можно написать, пока нет.',
    /** Nobody of a problem's citizens can be written to. */
    nobodyInProblem: NOBODY_IN_PROBLEM,
    emptySegment: (district: string | null) => `Рассылку не запустить: ${ru.broadcastStaff.nobody(district)}`,
    emptyProblem: `Рассылку не запустить: ${NOBODY_IN_PROBLEM}`,
    started: 'Рассылка запущена.',
    paused: 'Рассылка на паузе.',
    resumed: 'Рассылка продолжается.',
    cancelled: 'Рассылка отменена.',
    draftCancelled: (title: string) => `Черновик рассылки «${title}» отменён, ничего не отправлено.`,
    alreadyStarted: 'Эта рассылка уже запущена или завершена.',
    notADraft: 'Рассылка уже запущена: аудиторию и текст менять поздно.',
    wrongState: (status: BroadcastProgress['status']) => `Сейчас это недоступно: рассылка ${BROADCAST_STATUS[status]}.`,
    approverRole: 'Одобрять рассылки может только сотрудник с правом согласования.',
    selfApproval: 'Свою рассылку одобрить нельзя: её согласует второй сотрудник.',
    /** The author pressed «Запустить» above the threshold: who was asked. */
    approvalRequested: (threshold: number, approvers: number, id: number) =>
      approvers > 0
        ? [
            `Получателей больше ${count(threshold)}: рассылку должен одобрить второй сотрудник.`,
            `Запрос отправлен ${approvers} ${approvers % 10 === 1 && approvers % 100 !== 11 ? 'сотруднику' : 'сотрудникам'} с правом согласования. Когда её одобрят, вам придёт сообщение с кнопкой «Запустить».`,
          ].join('\n')
        : [
            `Получателей больше ${count(threshold)}: рассылку должен одобрить второй сотрудник,`,
            `но никого с правом согласования в боте нет. Попросите МЦУ подключить согласующего или одобрить её через API (POST /api/v1/broadcasts/${id}/approve).`,
          ].join('\n'),
    /** A scheduled broadcast back to draft when it was due: why, and what the author can do. */
    notStarted: (n: BroadcastNotStarted) =>
      n.why === 'approval'
        ? [
            `Рассылка «${n.title}» по расписанию не запущена: получателей стало ${count(n.recipients)} — больше ${count(n.threshold)}, а согласования нет.`,
            'Она снова черновик. Отправьте её на согласование — после одобрения придёт кнопка «Запустить» — или отмените.',
          ].join('\n')
        : [
            `Рассылка «${n.title}» по расписанию не запущена: сейчас её некому отправить (нет получателей, которым можно написать).`,
            'Она снова черновик: выберите другую аудиторию или отмените её.',
          ].join('\n'),
    /** The approver's reply after «Одобрить». */
    approvedByYou: (title: string) => `Рассылка «${title}» одобрена. Автор получит сообщение и сможет её запустить.`,
    approval: (a: BroadcastApproval) =>
      a.step === 'requested'
        ? [
            `Нужно согласовать рассылку «${a.title}»: получателей — ${count(a.recipients)} (больше ${count(a.threshold)}).`,
            `Автор: ${a.by}.`,
            '',
            clip(a.text, 600),
          ].join('\n')
        : `Рассылку «${a.title}» (получателей — ${count(a.recipients)}) одобрил(а) ${a.by}. Можно запускать.`,
    /** The progress message, edited in place while the broadcast sends. */
    progress: (p: BroadcastProgress) => {
      const total = allOf(p.totals);
      const processed = p.totals.sent + p.totals.blocked + p.totals.failed + p.totals.skipped;
      const share = total === 0 ? 0 : processed / total;
      const eta = p.etaSeconds !== null && p.status === 'running' ? ` · осталось ≈ ${aboutDuration(p.etaSeconds)}` : '';
      return [
        `Рассылка «${p.title}»: ${BROADCAST_STATUS[p.status]}`,
        `${bar(share)} ${Math.floor(share * 100)} %`,
        `Отправлено ${count(p.totals.sent)} из ${count(total)}`,
        `Заблокировали бота: ${count(p.totals.blocked)} · ошибки: ${count(p.totals.failed)} · пропущено: ${count(p.totals.skipped)}`,
        `Скорость: ${count(p.ratePerMinute)} в минуту${eta}`,
      ].join('\n');
    },
    /** The final summary to the author. */
    summary: (p: BroadcastProgress) => {
      const t = p.totals;
      const total = allOf(t);
      const channels = Object.entries(p.byChannel)
        .map(([c, ct]) => (ct ? `${CHANNEL_NAMES[c] ?? c} — ${count(ct.sent)} из ${count(allOf(ct))}` : null))
        .filter((line): line is string => line !== null);
      const ms = p.startedAt && p.finishedAt ? p.finishedAt.getTime() - p.startedAt.getTime() : null;
      const average = ms !== null && ms > 0 ? Math.round(t.sent / (ms / 60_000)) : null;
      return [
        `Рассылка «${p.title}» ${BROADCAST_STATUS[p.status]}.`,
        `Получателей: ${count(total)} — доставлено ${count(t.sent)}, заблокировали бота ${count(t.blocked)}, ошибки ${count(t.failed)}, пропущено ${count(t.skipped)}.`,
        ...(channels.length > 0 ? [`По каналам: ${channels.join('; ')}.`] : []),
        ...(ms !== null
          ? [`Длительность: ${exactDuration(ms)}${average !== null ? `, в среднем ${count(average)} в минуту` : ''}.`]
          : []),
        `Кто получил и кто нет (с причинами): GET /api/v1/broadcasts/${p.id}/recipients.csv`,
      ].join('\n');
    },
  },
  staffCommands: [
    { command: 'my', description: 'Открытые обращения подразделения' },
    { command: 'overdue', description: 'Просроченные обращения' },
    { command: 'case', description: 'Карточка обращения: /case МЦУ-2026-000123' },
    { command: 'stats', description: 'Рейтинг подразделений' },
    { command: 'rating', description: 'Рейтинг по регламенту: /rating 30' },
    { command: 'report', description: 'Еженедельный отчёт за прошлую неделю' },
    { command: 'pages', description: 'Официальные страницы и их балл' },
    { command: 'login', description: 'Ссылка для входа в веб-консоль' },
    { command: 'help', description: 'Команды и кнопки' },
  ],
  operatorCommands: [
    { command: 'queue', description: 'Ждут распределения' },
    { command: 'assign', description: 'Передать: /assign <номер> <подразделение>' },
    { command: 'category', description: 'Исправить категорию: /category <номер> <категория>' },
    { command: 'merge', description: 'Объединить: /merge <дубликат> <основное>' },
    { command: 'problems', description: 'Главные проблемы города' },
    { command: 'broadcast', description: 'Рассылка жителям' },
  ],
  commands: {
    start: 'Начать',
    help: 'Как пользоваться ботом',
    status: 'Мои обращения',
    subscribe: 'Рассылки по районам и темам',
    unsubscribe: 'Отписаться от рассылок',
    my: 'Обращения моего подразделения (для сотрудников)',
  },
} as const;
