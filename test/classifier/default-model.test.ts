import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadDomainConfig } from '../../config/domain.js';
import { readClassifierFile } from '../../lib/classifier/index.js';

const MODEL = fileURLToPath(new URL('../../lib/classifier/default-model.json', import.meta.url));
const DOMAIN = fileURLToPath(new URL('../../config/barnaul.yaml', import.meta.url));

// The committed model, rebuilt by `npm run train:default`; these messages are not in its training data.
const MESSAGES: [string, string][] = [
  ['Здравствуйте! На Малахова уже третий день нет горячей воды, когда дадут?', 'hot-water'],
  ['Во дворе стая бродячих собак, дети боятся выходить', 'stray-animals'],
  ['Соседи сверху каждую ночь слушают музыку на полную громкость', 'noise'],
  ['Не вывозят мусор из контейнеров уже неделю', 'waste'],
  ['Очередь в детский сад не двигается два года', 'education'],
  ['Огромное спасибо за помощь!', 'not_a_problem'],
  ['Продам диван недорого, самовывоз', 'not_a_problem'],
];

describe('the default model', () => {
  it('knows exactly the categories of config/barnaul.yaml and not_a_problem', async () => {
    const model = await readClassifierFile(MODEL);
    const ids = loadDomainConfig(DOMAIN).categories.map((c) => c.id);
    expect([...model.labels].sort()).toEqual([...ids, 'not_a_problem'].sort());
  });

  it('stays small enough to commit', () => {
    // 45k features × 30 labels since the own examples grew (issue 10): about 6.6 MB.
    expect(statSync(MODEL).size).toBeLessThan(8 * 1024 * 1024);
  });

  it.each(MESSAGES)('«%s» → %s', async (text, label) => {
    const model = await readClassifierFile(MODEL);
    expect(model.predict(text).label).toBe(label);
  });
});
