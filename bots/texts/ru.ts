import type { CaseCard } from '../../handlers/reminders/notify-official.js';
import type { CitizenNotification } from '../../models/citizen-notification.js';

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

/** A moment as officials read it: local Barnaul time, «10.12 17:00». */
export function formatBarnaul(at: Date): string {
  return new Intl.DateTimeFormat('ru-RU', {
    timeZone: 'Asia/Barnaul',
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

export const ru = {
  /** A message to the operators' chat about an urgent case or a spike. */
  pollYes: 'Да',
  pollNo: 'Нет',
  operatorAlert: (a: {
    kind: 'urgent' | 'spike' | 'reopened';
    details: Record<string, unknown>;
    case: { number: string; text: string; category: string | null; district: string | null; urgencyRule: string | null } | null;
    problem: { title: string; caseCount: number; category: string; district: string } | null;
  }) =>
    a.kind === 'reopened'
      ? [
          `🔁 Житель не удовлетворён ответом — обращение ${a.case?.number ?? ''} возобновлено`,
          clip(a.case?.text ?? '', 200),
        ].join('\n')
      : a.kind === 'urgent'
        ? [
            `🚨 Срочное обращение ${a.case?.number ?? ''}`,
            clip(a.case?.text ?? '', 300),
            `Категория: ${a.case?.category ?? 'не определена'}; район: ${a.case?.district ?? 'не определён'}`,
            `Причина срочности: ${a.case?.urgencyRule ?? '—'}`,
          ].join('\n')
        : [
            `📈 Всплеск обращений: ${a.problem?.caseCount ?? a.details.cases ?? '?'} по теме «${a.problem?.category ?? ''}» в районе ${a.problem?.district ?? ''}`,
            clip(a.problem?.title ?? '', 200),
            a.case ? `Последнее: ${a.case.number}` : '',
          ]
            .filter(Boolean)
            .join('\n'),
  welcome: [
    'Здравствуйте! Это бот Муниципального центра управления (МЦУ) города Барнаула.',
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
  declinedInfo:
    'Вы отказались от обработки персональных данных, поэтому мы не можем принять сообщение. Чтобы изменить решение — /start.',
  help: [
    'Как пользоваться ботом:',
    '• опишите проблему одним сообщением: что, где (адрес или ориентир) и с какого времени;',
    '• можно приложить фото, голосовое сообщение или геопозицию;',
    '• /status — ваши обращения и их состояние;',
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
  citizenNotification: (n: CitizenNotification): string => {
    switch (n.kind) {
      case 'case_opened':
        return ru.caseOpened(n.caseNumber, n.firstResponse);
      case 'case_extended':
        return ru.caseExtended(n.caseNumber);
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
    }
  },
  newCaseButton: 'Новое обращение',
  newCasePrompt: 'Хорошо. Опишите новую проблему одним сообщением — она будет зарегистрирована отдельно.',
  statusEmpty: 'У вас пока нет обращений. Опишите проблему одним сообщением — мы зарегистрируем её.',
  statusTitle: 'Ваши обращения:',
  statusLine: (number: string, status: string, text: string) =>
    `• ${number} — ${STATUS_NAMES[status] ?? status}${text ? `: ${text.length > 60 ? `${text.slice(0, 60)}…` : text}` : ''}`,
  unsupported: 'Пока я понимаю текст, фото с подписью, документы, голосовые сообщения и геопозицию.',
  internalError: 'Извините, произошла ошибка. Попробуйте, пожалуйста, ещё раз чуть позже.',
  staleButton: 'Эта кнопка уже неактуальна.',
  forbidden: 'Недостаточно прав.',
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
  answerHeld: (number: string) => `Ответ по обращению ${number} передан оператору МЦУ на проверку.`,
  answerNotAllowed: (status: string) => `Сейчас на обращение нельзя ответить: оно ${STATUS_NAMES[status] ?? status}.`,
  taken: 'Обращение взято в работу.',
  reminderCard: (c: CaseCard) =>
    [
      c.kind === 'card'
        ? `Обращение ${c.number}`
        : c.kind.startsWith('escalate:')
          ? `⏰ Просрочено: обращение ${c.number} (эскалация)`
          : c.kind === 'before:100'
            ? `⏰ Срок истекает: обращение ${c.number}`
            : `🔔 Напоминание (${c.kind.slice('before:'.length)} % срока): обращение ${c.number}`,
      `${c.priority === 'urgent' ? '🚨 Срочное. ' : ''}${c.text.length > 300 ? `${c.text.slice(0, 300)}…` : c.text}`,
      `Канал: ${c.channel}; район: ${c.district ?? 'не определён'}; срок: ${c.deadlineAt ? formatBarnaul(c.deadlineAt) : '—'}`,
    ].join('\n'),
  answerToCitizen: (text: string) => `Ответ по вашему обращению:\n\n${text}`,
  officialBound: (name: string, role: string, department: string) =>
    `Здравствуйте, ${name}! Вы подключены к боту МЦУ: ${role}, ${department}. Обращения вашего подразделения — /my.`,
  inviteRefused: {
    unknown: 'Ссылка-приглашение не найдена. Попросите МЦУ выслать новую.',
    expired: 'Срок действия приглашения истёк. Попросите МЦУ выслать новое.',
    used: 'Это приглашение уже использовано. Если это были не вы — сообщите в МЦУ.',
    deactivated: 'Доступ по этому приглашению отозван.',
  } as Record<'unknown' | 'expired' | 'used' | 'deactivated', string>,
  caseUsage: 'Команда: /case МЦУ-2026-000123',
  caseNotFound: (number: string) => `Обращение ${number} не найдено.`,
  queueEmpty: 'Очередь на распределение пуста.',
  queueTitle: 'Ждут распределения (категория или подразделение):',
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
  overdueUsage: 'Команда: /overdue — просроченные обращения вашего подразделения; /overdue all — всех подразделений.',
  overdueEmpty: (where: string) => `Просроченных обращений нет (${where}).`,
  overdueTitle: (where: string) => `Просроченные обращения — ${where}:`,
  myCasesEmpty: (department: string) => `Открытых обращений у подразделения «${department}» нет.`,
  myCasesTitle: (department: string) => `Открытые обращения — ${department}:`,
  myCaseLine: (c: { number: string; status: string; text: string; priority: string; deadlineAt: Date | null }) =>
    `• ${c.priority === 'urgent' ? '🚨 ' : ''}${c.number} — ${STATUS_NAMES[c.status] ?? c.status}${
      c.deadlineAt ? `, срок ${formatBarnaul(c.deadlineAt)}` : ''
    }: ${c.text.length > 60 ? `${c.text.slice(0, 60)}…` : c.text}`,
  commands: {
    start: 'Начать',
    help: 'Как пользоваться ботом',
    status: 'Мои обращения',
    my: 'Обращения моего подразделения (для сотрудников)',
  },
} as const;
