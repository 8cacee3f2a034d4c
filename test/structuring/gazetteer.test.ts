import { describe, expect, it } from 'vitest';
import { loadDomainConfig } from '../../config/domain.js';
import { buildGazetteer, findDistrict } from '../../handlers/structuring/gazetteer.js';

const gazetteer = buildGazetteer(loadDomainConfig('config/barnaul.yaml'));
const district = (text: string) => findDistrict(gazetteer, text).district;

describe('gazetteer: which district a message is about', () => {
  it.each([
    ['Нет воды на Власихе третий день', 'industrial'],
    ['Власиха: не вывозят мусор', 'industrial'],
    ['В Индустриальном районе яма на дороге', 'industrial'],
    ['Индустриальный район, двор не чищен', 'industrial'],
    ['по Индустриальному району много ям', 'industrial'],
    ['в Южном нет света', 'central'],
    ['В Центральном районе мусор', 'central'],
    ['Научный Городок без автобуса', 'leninsky'],
    ['в Научном Городке нет автобуса', 'leninsky'],
    ['улица Деповская, 5 — яма', 'zheleznodorozhny'],
    ['ул. Деповская д 7', 'zheleznodorozhny'],
  ])('«%s» → %s', (text, expected) => {
    expect(district(text)).toBe(expected);
  });

  it('when a street runs through several districts, then no district, and the reason names them', () => {
    const match = findDistrict(gazetteer, 'пр-т Ленина, 10 — не горит фонарь');
    expect(match.district).toBeNull();
    expect(match.reason).toMatch(/^ambiguous: /);
    expect(match.reason).toContain('пр-т Ленина');
    expect(findDistrict(gazetteer, 'ул. Попова, 105 холодно').district).toBeNull();
  });

  it('when a shared street comes with a district name, then the district decides', () => {
    expect(district('ул. Попова, 105 в Индустриальном районе')).toBe('industrial');
  });

  it('when two places in different districts are named, then no guess', () => {
    const match = findDistrict(gazetteer, 'Затон и Власиха без воды');
    expect(match.district).toBeNull();
    expect(match.reason).toContain('ambiguous');
  });

  it('when a street name is only a surname, then it does not count', () => {
    expect(findDistrict(gazetteer, 'Деповская сказала, что придут завтра').district).toBeNull();
  });

  it('when nothing is recognised, then no district and the reason says so', () => {
    expect(findDistrict(gazetteer, 'Когда будет горячая вода?')).toEqual({
      district: null,
      reason: 'not found: no district, settlement, microdistrict or known street in the text',
    });
  });
});
