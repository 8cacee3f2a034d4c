import type { DomainConfig } from '../../../../config/domain.js';
import {
  BROADCAST_SPLIT_LIMIT,
  BROADCAST_TEXT_LIMIT,
  broadcastSettings,
  type Refusal,
} from '../../../../handlers/broadcasts/index.js';
import type { BroadcastChannel, Segment } from '../../../../models/broadcast.js';
import type { BroadcastStatus } from '../../../../models/schema.js';
import * as fmt from '../../format.js';
import { named, t } from '../../texts-ru.js';

/** «Рассылки»' words: statuses, priorities, segments, the use cases' refusals — in Russian, in one place. */
export const STATUS_NAMES: Readonly<Record<BroadcastStatus, string>> = {
  draft: 'Черновик',
  scheduled: 'Запланирована',
  running: 'Идёт отправка',
  paused: 'На паузе',
  done: 'Завершена',
  cancelled: 'Отменена',
};

export const PRIORITY_NAMES = { normal: 'Обычная', emergency: 'Экстренная' } as const;

/** What a successful action says after the redirect (`?done=…`). */
export const DONE_TEXTS: Readonly<Record<string, string>> = {
  created: 'Черновик сохранён. Проверьте получателей и запустите рассылку.',
  approved: 'Рассылка одобрена.',
  started: 'Рассылка запущена.',
  scheduled: 'Рассылка запланирована: начнётся в назначенное время.',
  paused: 'Рассылка на паузе.',
  resumed: 'Отправка продолжается.',
  cancelled: 'Рассылка отменена: неотправленное пропущено.',
};

/** Why a recipient was not reached: the sender's codes in words; a messenger's own text stays as it is. */
const REASONS: Readonly<Record<string, string>> = {
  no_sender: 'к этому мессенджеру не подключён бот',
  cancelled: 'рассылка отменена',
  unsubscribed: 'житель отписался',
};
export const reasonWords = (reason: string | null): string => (reason ? (REASONS[reason] ?? reason) : '—');

const list = (ids: readonly string[] | undefined, table: readonly { id: string; name: string }[]) =>
  (ids ?? []).map((id) => table.find((x) => x.id === id)?.name ?? id).join(', ');

/** The segment as an operator says it: «Подписчики: Центральный район; темы: …; только Telegram». */
export function segmentWords(segment: Segment, domain: DomainConfig): string {
  const channels = segment.channels?.length ? `; только ${segment.channels.map((c) => named(t.channel, c)).join(', ')}` : '';
  switch (segment.kind) {
    case 'subscribers': {
      const where = segment.districts?.length ? list(segment.districts, domain.districts) : 'весь город';
      const topics = segment.topics?.length ? `; темы: ${list(segment.topics, broadcastSettings(domain).topics)}` : '';
      return `Подписчики: ${where}${topics}${channels}`;
    }
    case 'problem':
      return `Жители, писавшие о проблеме №${segment.problemId}${channels}`;
    case 'cases': {
      const parts = [
        segment.categories?.length ? `категории: ${list(segment.categories, domain.categories)}` : '',
        segment.districts?.length ? `районы: ${list(segment.districts, domain.districts)}` : '',
        segment.withinHours !== undefined ? `за последние ${segment.withinHours} ч` : '',
        segment.from ? `с ${fmt.dateTime(segment.from, domain.city)}` : '',
        segment.to ? `до ${fmt.dateTime(segment.to, domain.city)}` : '',
      ].filter(Boolean);
      return `Авторы обращений: ${parts.join('; ')}${channels}`;
    }
  }
}

/** «Telegram 2, ВКонтакте 0, MAX 1» — every messenger of the segment, in a fixed order. */
export function channelWords(byChannel: Partial<Record<BroadcastChannel, number>>): string {
  const parts = (['telegram', 'vk', 'max'] as const).map((c) => `${named(t.channel, c)} ${fmt.number(byChannel[c] ?? 0)}`);
  return parts.join(', ');
}

/** Why a segment reaches nobody, from the preview's counts (the 422's reason). */
export function emptyWords(segment: Segment, excluded: { optedOut: number; noPrivateChat: number }): string {
  const who =
    segment.kind === 'subscribers'
      ? 'ни один активный подписчик не подходит под эти районы, темы и мессенджеры'
      : segment.kind === 'problem'
        ? `ни одному жителю, писавшему о проблеме №${segment.problemId}, нельзя написать`
        : 'ни одному автору подходящих обращений нельзя написать';
  const left =
    excluded.optedOut + excluded.noPrivateChat > 0
      ? ` Не входят: отписались от рассылок — ${excluded.optedOut}, не писали боту в личный чат — ${excluded.noPrivateChat}.`
      : '';
  return `Эту рассылку никто не получит: ${who}.${left} Ничего не запущено — измените получателей.`;
}

/** The Russian sentence for a refusal of an action on a broadcast (409, 403, 422 pages). */
export function refusalWords(refusal: Refusal, status: BroadcastStatus | undefined, domain: DomainConfig): string {
  const roles = broadcastSettings(domain)
    .approval.roles.map((r) => (domain.roles as Record<string, string>)[r] ?? r)
    .join('; ');
  switch (refusal.code) {
    case 'ALREADY_STARTED':
      return `Рассылка уже запущена (сейчас: ${status ? STATUS_NAMES[status].toLowerCase() : 'не черновик'}). Повторный запуск ничего не отправит.`;
    case 'APPROVAL_REQUIRED':
      return `Получателей больше ${fmt.number(broadcastSettings(domain).approval.aboveRecipients)}: сначала рассылку должен одобрить второй человек (${roles}).`;
    case 'SELF_APPROVAL':
      return 'Свою рассылку одобрить нельзя: её одобряет второй человек.';
    case 'APPROVER_ROLE':
      return `Одобрять рассылки может только ${roles}.`;
    case 'NOT_A_DRAFT':
      return `Рассылка уже не черновик (сейчас: ${status ? STATUS_NAMES[status].toLowerCase() : '—'}): одобрить или изменить её нельзя.`;
    case 'WRONG_STATE':
      return `Сейчас рассылка в состоянии «${status ? STATUS_NAMES[status] : '—'}»: это действие невозможно.`;
    case 'FORBIDDEN':
      return 'Ваша роль не готовит и не запускает рассылки.';
    default:
      return 'Действие невозможно для этой рассылки.';
  }
}

/** The limits as the form explains them. */
export const LIMIT_WORDS = `Наименьший предел мессенджеров — ${fmt.number(BROADCAST_TEXT_LIMIT)} символов (MAX; Telegram и ВКонтакте — 4 096). Длиннее — только частями, до ${fmt.number(BROADCAST_SPLIT_LIMIT)}.`;
