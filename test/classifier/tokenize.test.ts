import { describe, expect, it } from 'vitest';
import { extractFeatures, normalizeText, stem, tokenize } from '../../lib/classifier/index.js';

describe('normalizeText', () => {
  it('when the text has HTML, then tags, scripts and entities are gone', () => {
    expect(normalizeText('<p>Нет&nbsp;воды</p><script>alert(1)</script>&quot;срочно&quot; &amp; <br/>всё')).toBe(
      'нет воды "срочно" & все',
    );
  });

  it('when the text has numeric entities, then they are decoded, and invalid ones become spaces', () => {
    expect(normalizeText('&#1071;ма &#x44F;ма &#1114112; &#xD800;')).toBe('яма яма');
  });

  it('when personal data was masked, then the masks are removed', () => {
    expect(normalizeText('Житель [скрыто] из дома [СКРЫТО] пишет')).toBe('житель из дома пишет');
  });

  it('lower-cases and writes е for ё', () => {
    expect(normalizeText('ЁЛКА Зелёная')).toBe('елка зеленая');
  });
});

describe('tokenize', () => {
  it('when a word comes in different forms, then it has one stem', () => {
    const forms = ['труба', 'трубы', 'трубой', 'трубе', 'трубу'].map(stem);
    expect(new Set(forms).size).toBe(1);
  });

  it('when a word has ё, then it stems like the same word with е', () => {
    expect(tokenize('зелёный')).toEqual(tokenize('зеленый'));
  });

  it('drops stop words and bare numbers, keeps «не» and «нет»', () => {
    expect(tokenize('Не горят фонари у дома 28, и нет света')).toEqual(['не', 'гор', 'фонар', 'дом', 'нет', 'свет']);
  });

  it('when HTML and masks surround the words, then only the words remain', () => {
    expect(tokenize('<b>[скрыто]</b>&nbsp;Прорыв&#160;трубы')).toEqual([stem('прорыв'), stem('трубы')]);
  });

  it('gives nothing for text without words', () => {
    expect(tokenize('<br> [скрыто] &nbsp; 123 !!!')).toEqual([]);
  });
});

describe('extractFeatures', () => {
  it('when bigrams are on, then adjacent stems are paired', () => {
    expect(extractFeatures('Нет горячей воды', { bigrams: true, charNgrams: null })).toEqual([
      'нет',
      'горяч',
      'вод',
      'нет горяч',
      'горяч вод',
    ]);
  });

  it('when character n-grams are on, then each stem yields padded n-grams', () => {
    expect(extractFeatures('вода', { bigrams: false, charNgrams: [3, 3] })).toEqual(['вод', '# во', '#вод', '#од ']);
  });
});
