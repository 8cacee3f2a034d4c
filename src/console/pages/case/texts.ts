/**
 * The case page's Russian words: the one-line results after an action, the audit trail's actions, the
 * quality gate's reasons, attachments and answer states. Templates get them as `it.words`.
 */

/** `?done=<code>` after an action → the line shown above the case. */
export const DONE = {
  taken: 'Обращение взято в работу.',
  answered: 'Ответ отправлен жителю.',
  interim: 'Промежуточный ответ отправлен жителю.',
  /** `answered`/`interim` of a case from a channel's comment: recorded, not posted (models/answer-target.ts). */
  recordedOnPage: 'Ответ записан. В канал он не публикуется: ответьте жителю в комментариях на странице.',
  held: 'Ответ похож на отписку и задержан на проверку МЦУ: житель его пока не получит.',
  extension: 'Запрос на продление срока отправлен в МЦУ.',
  asked: 'Вопрос отправлен жителю; срок остановлен до его ответа.',
  returned: 'Обращение возвращено на распределение в МЦУ.',
  merged: 'Обращение объединено с основным.',
  assigned: 'Обращение назначено.',
} as const;
export type DoneCode = keyof typeof DONE;

/** Why an answer looks like an «отписка» (the gate's problems), as the official reads them. */
export const GATE_PROBLEMS: Readonly<Record<string, string>> = {
  too_short: 'слишком коротко',
  stock_phrase: 'шаблонные фразы',
  no_specifics: 'нет конкретного действия, срока или ответственного',
};

export const AUDIT_ACTIONS: Readonly<Record<string, string>> = {
  case_opened: 'Обращение зарегистрировано',
  message_joined: 'Сообщение жителя добавлено к обращению',
  status_changed: 'Статус изменён',
  assigned: 'Назначено',
  reassignment: 'Возвращено на распределение',
  answer_given: 'Ответ отправлен',
  answer_held: 'Ответ задержан на проверку МЦУ',
  answer_approved: 'Задержанный ответ одобрен',
  answer_rejected: 'Задержанный ответ отклонён',
  answer_recorded: 'Ответ записан',
  extension_requested: 'Запрошено продление срока',
  extension_decided: 'Решение о продлении срока',
  paused: 'Вопрос жителю, срок остановлен',
  resumed: 'Срок снова идёт',
  merged: 'Объединено с основным обращением',
  duplicate_joined: 'Присоединён дубликат',
  category_corrected: 'Категория исправлена',
  follow_up_asked: 'Жителя спросили: новое обращение или дополнение',
  follow_up_waits: 'Сообщение ждёт выбора жителя',
  follow_up_decided: 'Житель выбрал: новое обращение или дополнение',
  poll_comment: 'Комментарий жителя к оценке',
};

export const ATTACHMENT_TYPES: Readonly<Record<string, string>> = {
  photo: 'фото',
  document: 'документ',
  voice: 'голосовое сообщение',
  video: 'видео',
  audio: 'аудио',
  location: 'геометка',
  venue: 'место',
  sticker: 'стикер',
  link: 'ссылка',
  other: 'вложение',
};

export const ANSWER_STATES: Readonly<Record<string, string>> = {
  queued: 'отправляется',
  held: 'задержан на проверку МЦУ',
  rejected: 'отклонён МЦУ',
  sent: 'доставлен',
  recorded: 'записан (ответ вне мессенджера)',
  blocked: 'не доставлен: житель заблокировал бота',
};

export const ANSWER_KINDS: Readonly<Record<string, string>> = {
  final: 'Ответ',
  interim: 'Промежуточный ответ',
};

export const EXTENSION_STATES: Readonly<Record<string, string>> = {
  pending: 'ждёт решения МЦУ',
  approved: 'одобрено',
  rejected: 'отклонено',
};

/** A use case refused the action (not the person's input): the case's state does not allow it. */
export const REFUSED = {
  state: 'В этом статусе обращения это действие недоступно. Обновите страницу.',
  alreadyAnswered: 'На обращение уже дан окончательный ответ.',
  pendingExtension: 'Запрос на продление по этому обращению уже ждёт решения МЦУ.',
  noExtension: 'Срок этого обращения продлить нельзя: достигнут предельный срок или срока нет.',
  unreachable:
    'Жителю нельзя написать лично: он писал не в личные сообщения бота (или обращение пришло из другой системы). Ответьте там, где он писал.',
  unchanged: 'Обращение уже у этого подразделения и исполнителя.',
  alreadyMerged: 'Это обращение уже объединено с другим.',
  mainNotOpen: 'Основное обращение закрыто или само объединено с другим: выберите открытое.',
} as const;
