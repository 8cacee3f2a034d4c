import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDomainConfig } from '../../config/domain.js';

/** The domain file's `sources` section: ИМ and ПОС with their regimes, columns and mappings. */
describe('domain file: sources', () => {
  const barnaul = readFileSync('config/barnaul.yaml', 'utf8');

  it('when barnaul.yaml is read, then ПОС runs on the pos regime and ИМ on the social one', () => {
    const d = parseDomainConfig(barnaul, 'barnaul.yaml');
    expect(d.sources?.pos).toMatchObject({ regime: 'pos', columns: { externalId: 'Номер сообщения' } });
    expect(d.sources?.im?.regime).toBe('social');
  });

  it('when a mapping names an unknown category, department or status, then each is reported with its place', () => {
    const broken = barnaul
      .replace('Ямы на дорогах: roads', 'Ямы на дорогах: rods')
      .replace('Комитет ЖКХ: housing-utilities', 'Комитет ЖКХ: housing')
      .replace('Ответ дан: answered', 'Ответ дан: done');
    expect(() => parseDomainConfig(broken, 'barnaul.yaml')).toThrow(
      /3 problem[\s\S]*unknown category "rods" \(did you mean "roads"\?\)[\s\S]*unknown department "housing"[\s\S]*sources\.pos\.statuses\.Ответ дан: /,
    );
  });
});
