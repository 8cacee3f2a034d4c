/**
 * Synthetic texts of the demo history: a few templates per category with a place and a detail filled
 * in. Invented, short, and plainly generated: no real person, address or message behind any of them.
 */
import type { Random } from './random.js';

const PROBLEMS: Readonly<Record<string, readonly string[]>> = {
  heating: ['Холодные батареи в квартире', 'Нет отопления во всём подъезде', 'Батареи еле тёплые, дома +16'],
  'hot-water': ['Нет горячей воды', 'Горячая вода еле тёплая', 'Отключили горячую воду без объявления'],
  'cold-water': ['Нет холодной воды', 'Слабый напор воды', 'Прорыв трубы во дворе, течёт вода'],
  sewage: ['Засор канализации в подвале', 'Открытый люк у подъезда', 'Запах канализации во дворе'],
  electricity: ['Нет света в доме', 'Скачки напряжения по вечерам', 'Оборван провод у остановки'],
  gas: ['Когда подключат дом к газу?', 'Нет газа в доме', 'Вопрос о газификации улицы'],
  'apartment-buildings': ['Протекает крыша над верхним этажом', 'Не работает лифт', 'Сосульки над входом в подъезд'],
  'management-companies': [
    'Управляющая компания не отвечает на заявки',
    'Вопрос по плате за содержание',
    'Не сделали перерасчёт',
  ],
  roads: ['Яма на дороге', 'Разбитая дорога после зимы', 'Провал асфальта на проезжей части'],
  pavements: ['Разбитый тротуар', 'Нет тротуара до школы', 'Высокий бордюр на переходе'],
  'traffic-management': ['Не работает светофор', 'Нужен пешеходный переход', 'Стёрлась дорожная разметка'],
  'snow-ice': ['Не чистят снег', 'Гололёд на тротуаре, нужно посыпать песком', 'Снежная колея, машины буксуют'],
  'street-lighting': ['Не горят фонари', 'Темно на улице вечером', 'Фонарь мигает всю ночь'],
  'public-transport': ['Автобус не ходит по расписанию', 'Большой интервал движения', 'Нужна остановка общественного транспорта'],
  parking: ['Паркуются на газоне', 'Брошенный автомобиль во дворе', 'Машины стоят на тротуаре'],
  yards: ['Ямы во дворе', 'Просим благоустройство двора', 'Нет проезда во дворе'],
  waste: ['Не вывозят мусор', 'Переполнены баки', 'Несанкционированная свалка'],
  greenery: ['Аварийное дерево у дома', 'Нужен покос травы', 'Упало дерево на дорожку'],
  playgrounds: ['Сломаны качели на детской площадке', 'Спортивная площадка в плохом состоянии', 'Сломанная горка'],
  'stray-animals': ['Стая собак у школы', 'Бродячие собаки во дворе', 'Просим отлов собак'],
  ecology: ['Запах гари по вечерам', 'Дым из трубы частного дома', 'Сжигание мусора'],
  construction: ['Самострой во дворе', 'Вопрос о точечной застройке', 'Стройка без ограждения'],
  trade: ['Незаконная торговля у остановки', 'Ларёк торгует ночью', 'Торговля с рук у рынка'],
  noise: ['Шумные работы ночью', 'Громкая музыка после 23:00', 'Шум от кафе по ночам'],
  emergency: ['Подтопление дворов', 'Угроза обрушения балкона', 'Вода подходит к домам'],
  healthcare: ['Не записаться к врачу', 'Нет участкового терапевта', 'Очередь в поликлинике'],
  education: ['Очередь в детский сад', 'Вопрос о записи в первый класс', 'Школьное питание'],
  'social-support': ['Как получить материальную помощь?', 'Нужен пандус у подъезда', 'Вопрос о субсидии на оплату ЖКУ'],
  other: ['Вопрос к администрации', 'Прошу разобраться', 'Куда обратиться по вопросу?'],
};

const DETAILS = [
  'Уже неделю так.',
  'Третий день без изменений.',
  'Жители просят принять меры.',
  'Обращались в управляющую компанию, ответа нет.',
  'Просим разобраться.',
  'Фото прилагаю.',
  'Дети ходят мимо каждый день.',
  '',
];

const STREETS = ['Садовая', 'Школьная', 'Лесная', 'Новая', 'Заречная', 'Полевая', 'Молодёжная', 'Светлая', 'Парковая', 'Озёрная'];

/** A citizen's message about `category` in a district (its prepositional form, e.g. «Ленинском районе»). */
export function caseText(random: Random, category: string, districtIn: string | null): string {
  const problem = random.pick(PROBLEMS[category] ?? PROBLEMS.other ?? ['Прошу разобраться']);
  const place = `ул. ${random.pick(STREETS)}, ${random.int(1, 150)}${districtIn ? ` (в ${districtIn})` : ''}`;
  const detail = random.pick(DETAILS);
  return `${problem}: ${place}. ${detail}`.trim();
}

const ACTIONS: Readonly<Record<string, readonly string[]>> = {
  housing: [
    'бригада выехала, неисправность устранена',
    'проведена промывка и регулировка системы',
    'заменён участок трубопровода',
  ],
  roads: ['яма заделана', 'проведена очистка и обработка покрытия', 'участок включён в план ремонта, работы запланированы'],
  landscaping: ['территория очищена', 'работы выполнены подрядчиком', 'дерево спилено, порубочные остатки вывезены'],
  other: ['вопрос решён', 'работы выполнены', 'специалист выехал на место, замечания устранены'],
};

const BLOCKS: Readonly<Record<string, keyof typeof ACTIONS>> = {
  heating: 'housing',
  'hot-water': 'housing',
  'cold-water': 'housing',
  sewage: 'housing',
  electricity: 'housing',
  'apartment-buildings': 'housing',
  roads: 'roads',
  pavements: 'roads',
  'snow-ice': 'roads',
  'street-lighting': 'roads',
  'traffic-management': 'roads',
  yards: 'landscaping',
  waste: 'landscaping',
  greenery: 'landscaping',
  playgrounds: 'landscaping',
};

/** A final answer with an action, a date and a responsible person (passes the «отписка» check). */
export function finalAnswerText(random: Random, category: string, number: string, on: string): string {
  const action = random.pick(ACTIONS[BLOCKS[category] ?? 'other'] ?? ['работы выполнены']);
  return `По обращению ${number}: ${action} ${on}. Ответственный — мастер участка, тел. 8 (3852) 00-00-0${random.int(0, 9)}.`;
}

/** An interim reply: taken into work, with a date. */
export function interimAnswerText(number: string, by: string): string {
  return `Обращение ${number} принято в работу, специалист выедет на место до ${by}. Ответственный — мастер участка.`;
}

/** An «отписка»: stock phrases, no action, date or responsible person. */
export function otpiskaText(random: Random): string {
  return random.pick([
    'Ваше обращение рассмотрено. Информация принята к сведению.',
    'Обращение будет рассмотрено в установленном порядке в рамках компетенции.',
    'Работы будут выполнены по мере финансирования.',
  ]);
}

export const OTPISKA_QUALITY = {
  ok: false,
  problems: ['stock_phrase', 'no_specifics'],
  stockPhrases: ['принята к сведению'],
};
export const GOOD_QUALITY = { ok: true, problems: [], stockPhrases: [] };

export const EXTENSION_REASONS = [
  'Нужны работы подрядчика, ждём выхода бригады.',
  'Требуется согласование с ресурсоснабжающей организацией.',
  'Работы возможны только после схода снега.',
];
