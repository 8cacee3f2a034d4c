import { describe, expect, it } from 'vitest';
import { loadDomainConfig } from '../../config/domain.js';
import { createStructurer, type IntentScorer } from '../../handlers/structuring/assess.js';
import { ASK_LEANS, ASK_LEANS_UNCLEAR } from '../../handlers/structuring/intent.js';

const domain = loadDomainConfig('config/barnaul.yaml');
const AT = new Date('2026-12-10T03:00:00Z');

/** An intent model that gives every text the same not-a-problem score. */
const scoring = (score: number): IntentScorer => ({ version: 'stub', notProblem: () => score });
const assess = (text: string, score: number | null) =>
  createStructurer(domain, null, [], score === null ? null : scoring(score)).assess(text, AT);

describe('intent: «Это обращение?» is asked when the rules say problem but the message may be thanks or chatter', () => {
  it('when no rule decides (unclear), then the citizen is asked without an intent model, and with one from ASK_LEANS_UNCLEAR', () => {
    const text = 'Добрый день, у нас во дворе проблема';
    for (const score of [null, ASK_LEANS_UNCLEAR]) {
      const a = assess(text, score);
      expect(a.notProblem).toBeNull();
      expect(a.intent.verdict).toBe('unclear');
      expect(a.intent.ask).toBe('spam');
    }
    // The intent model sure it is a problem: a case at once, no question.
    expect(assess(text, ASK_LEANS_UNCLEAR - 0.01).intent).toMatchObject({ verdict: 'unclear', ask: null });
  });

  it('when the message is urgent, then nobody is asked, however the intent model leans', () => {
    const a = assess('Авария во дворе, подскажите куда звонить?', 0.6);
    expect(a.urgency.priority).toBe('urgent');
    expect(a.intent.reason).toMatch(/^marker: /); // no keyword decided: only the urgency stops the question
    expect(a.intent.ask).toBeNull();
  });

  it('when a weak marker says problem but the intent model leans to not-a-problem from ASK_LEANS, then ask; below it, a case', () => {
    const question = 'Здравствуйте, а вы по выходным работаете?';
    expect(assess(question, ASK_LEANS).intent).toMatchObject({ verdict: 'problem', ask: 'spam' });
    expect(assess(question, ASK_LEANS - 0.01).intent).toMatchObject({ verdict: 'problem', ask: null });
  });

  it('when the message thanks someone, then what it would be if not an appeal is thanks', () => {
    const a = assess('Спасибо за новые лавочки в парке, но там бы ещё урны поставить', 0.4);
    expect(a.notProblem).toBeNull();
    expect(a.intent.ask).toBe('thanks');
  });

  it('when a category keyword decided, then nobody is asked, however the intent model leans', () => {
    const a = assess('Третий день нет горячей воды на Ленина 5', 0.8);
    expect(a.intent.reason).toMatch(/^keyword: /);
    expect(a.intent.ask).toBeNull();
  });

  it('when the message is not a problem at all, then nothing is asked: it is discarded as before', () => {
    const a = assess('Спасибо большое!', 0.99);
    expect(a.notProblem).toBe('thanks');
    expect(a.intent.ask).toBeNull();
  });
});
