import type { District } from '../../config/domain.js';

/**
 * What the sandbox's simulated operator broadcasts: short notices of planned outages to one district's
 * subscribers. The project's own texts, written like a city service's notices; no real notice is copied.
 */

/** The topic of these notices (an id of the domain file's `broadcasts.topics`; Barnaul's «Отключения…»). */
export const NOTICE_TOPIC = 'outages';

interface Notice {
  title: string;
  /** The text: where («в Центральном районе»), and a street of the district when the domain file names one. */
  text: (where: string, street: string | null) => string;
}

const near = (street: string | null) => (street ? ` (${street} и соседние дома)` : '');

const NOTICES: readonly Notice[] = [
  {
    title: 'Плановое отключение холодной воды',
    text: (where, street) =>
      `Завтра с 9:00 до 17:00 в ${where}${near(street)} не будет холодной воды: ремонт водопровода. Наберите воду заранее.`,
  },
  {
    title: 'Отключение горячей воды',
    text: (where, street) =>
      `С понедельника на 10 дней в ${where}${near(street)} отключат горячую воду: гидравлические испытания тепловых сетей.`,
  },
  {
    title: 'Плановое отключение электроэнергии',
    text: (where, street) =>
      `Послезавтра с 10:00 до 15:00 в ${where}${near(street)} не будет света: замена оборудования на подстанции. Лифты не работают.`,
  },
  {
    title: 'Промывка системы отопления',
    text: (where, street) =>
      `В ближайшие два дня в ${where}${near(street)} возможны перебои с отоплением: промывка сетей. Просим не открывать окна надолго.`,
  },
];

/** One notice for `district`, drawn with `random`. */
export function sandboxNotice(district: District, random: () => number): { title: string; text: string } {
  const notice = NOTICES[Math.floor(random() * NOTICES.length)] ?? NOTICES[0];
  const street = district.streets.length > 0 ? (district.streets[Math.floor(random() * district.streets.length)] ?? null) : null;
  if (!notice) return { title: 'Объявление', text: `Объявление для жителей: ${district.name}.` };
  return { title: notice.title, text: notice.text(district.forms.prepositional, street) };
}
