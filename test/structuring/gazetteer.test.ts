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
    // a place word before the name names the place, whatever object follows («в Южном парке» alone names none)
    ['В посёлке Южном рынок закрыли', 'central'],
    ['пос. Лесной, парк у школы зарос', 'industrial'],
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

  it.each([
    ['Южный, ул. Чайковского: котельная встала', 'central'],
    ['Куета, ул. Лесная: нет освещения', 'industrial'],
    ['Затон — мусор не вывозят', 'central'],
    ['Нет света в поселке Южный', 'central'],
    ['Во дворе в мкр. Затон яма', 'central'],
    ['Южный поселок без воды', 'central'],
    ['Проблема на Потоке с освещением', 'oktyabrsky'],
  ])('when a name that is also a common word stands where a place is expected, then it counts: «%s» → %s', (text, expected) => {
    expect(district(text)).toBe(expected);
  });

  it.each([
    'Поток машин огромный, нужен светофор',
    'Дружный коллектив дома просит спилить клен',
    'Лесной пожар рядом с дачами',
    'Сильный поток воды во дворе',
    'Нет центрального отопления',
    'Ямы по Ленинскому проспекту',
    'Невский пр., 81 — грязь',
    'На южной окраине свалка',
  ])('when a name that is also a common word is used as that word, then it does not count: «%s»', (text) => {
    expect(findDistrict(gazetteer, text).district).toBeNull();
  });

  it('when a text is in capitals, then a capital says nothing: only a place word or a name standing alone counts', () => {
    expect(district('В ЗАТОНЕ НЕТ ВОДЫ')).toBeNull();
    expect(district('ЗАТОН: НЕТ ВОДЫ')).toBe('central');
    expect(district('В МИКРОРАЙОНЕ ЗАТОН НЕТ ВОДЫ')).toBe('central');
  });

  it('when an abbreviation is also a preposition, then it names a place only with its dot', () => {
    expect(district('с. Лебяжье, нет воды')).toBe('central');
    expect(district('Продух с южного торца открыт')).toBeNull();
    expect(district('п. Южный, котельная встала')).toBe('central');
  });

  it('when a street shares its stem with a place of the same district, then both are known', () => {
    expect(findDistrict(gazetteer, 'ул. Лазурная, 12 — яма')).toEqual({ district: 'industrial', reason: 'street: ул. Лазурная' });
  });

  it('when nothing is recognised, then no district and the reason says so', () => {
    expect(findDistrict(gazetteer, 'Когда будет горячая вода?')).toEqual({
      district: null,
      reason: 'not found: no district, settlement, microdistrict or known street in the text',
    });
  });
});
