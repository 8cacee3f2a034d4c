/**
 * What the sandbox's simulated officials write. Fictional people and crews; the good answers name an
 * action, a date and who is responsible (so they pass the quality gate), the «отписки» do not.
 */

/** A date a few days ahead as «DD.MM», the form officials write. */
function dayAhead(now: Date, days: number): string {
  const d = new Date(now.getTime() + days * 86_400_000);
  return `${String(d.getDate()).padStart(2, '0')}.${String(d.getMonth() + 1).padStart(2, '0')}`;
}

const GOOD: readonly ((now: Date) => string)[] = [
  (now) =>
    `Заявка передана подрядчику, бригада выехала на место. Работы будут выполнены до ${dayAhead(now, 3)}, ответственный — мастер участка Кузнецов А. В.`,
  (now) =>
    `Выезд бригады запланирован на ${dayAhead(now, 1)}, неисправность будет устранена в тот же день. Контроль — инженер Смирнова Е. Н.`,
  (now) =>
    `Проведено обследование, работы включены в план на ${dayAhead(now, 2)}. Ответственный за исполнение — начальник участка Петров И. С.`,
  (now) =>
    `Управляющей компании выдано предписание, срок исполнения — до ${dayAhead(now, 5)}. Исполнение проверит специалист комитета Орлова Т. М.`,
  (now) =>
    `Бригада подрядчика направлена по адресу, работы организованы на ${dayAhead(now, 1)}. О результате сообщит мастер Васильев Д. А.`,
];

const INTERIM: readonly ((now: Date) => string)[] = [
  (now) =>
    `Обращение взято в работу: выезд на место запланирован на ${dayAhead(now, 1)}, ответственный — мастер Соколов П. Р. Окончательный ответ направим после осмотра.`,
  (now) =>
    `Запрошена информация у подрядчика, ответ ожидается до ${dayAhead(now, 2)}. Ответственный — специалист комитета Морозова Л. И.`,
];

/** Why an official asks for more time (the operators see it with the request). */
const EXTENSION_REASONS: readonly string[] = [
  'Нужна замена участка трубы: материал поступит от поставщика в течение недели.',
  'Работы возможны только после согласования с управляющей компанией, встреча назначена.',
  'Требуется выезд подрядчика с техникой, ближайшее окно — на следующей неделе.',
];

/** Formal replies with nothing in them: the quality gate sends them back as «отписка». */
const STOCK: readonly string[] = [
  'Информация принята к сведению.',
  'Ваше обращение рассмотрено в установленном порядке.',
  'Обращение направлено по принадлежности и будет рассмотрено в порядке очередности.',
  'Вопрос будет решён по мере финансирования.',
];

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)] as T;

export const officialTexts = {
  good: (now: Date, random: () => number) => pick(GOOD, random)(now),
  interim: (now: Date, random: () => number) => pick(INTERIM, random)(now),
  stock: (random: () => number) => pick(STOCK, random),
  extensionReason: (random: () => number) => pick(EXTENSION_REASONS, random),
};

/** Fictional names for the sandbox's people (never logged: logs name people by role and department). */
export const SANDBOX_NAMES: readonly string[] = [
  'Алексеева Н. В.',
  'Борисов К. Е.',
  'Волкова И. А.',
  'Григорьев С. П.',
  'Данилова О. Ю.',
  'Егоров М. Л.',
  'Жукова А. С.',
  'Зайцев Р. Н.',
  'Ильина Е. Г.',
  'Комаров В. Д.',
  'Лебедева Т. О.',
  'Медведев Ю. К.',
];
