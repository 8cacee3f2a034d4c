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

  it('when a category keyword decided and no rule sees thanks, an offer or a question about the service, then nobody is asked, however the intent model leans', () => {
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

describe('intent: the rules ask «Это обращение?» when a message says what it is despite a problem word', () => {
  it.each([
    [
      'Огромное спасибо дорожникам: яму у школы залатали, больше никто не спотыкается',
      /^marker: .*; ask: thanks for work done \(залатали\)$/,
    ],
    ['Спасибо, что спилили старый тополь, теперь не страшно гулять с детьми', /; ask: thanks for work done \(спилили\)$/],
    ['Благодарю бригаду, которая ночью устранила аварию на сетях', /; ask: thanks for work done \(устранила\)$/],
    ['Спасибо, что покрасили детскую площадку во дворе', /^keyword: .*; ask: thanks for work done \(покрасили\)$/],
  ])('when «%s» thanks for work done, then it is asked as thanks, whatever the intent model says', (text, reason) => {
    // (Below INTENT_LEANS: the intent model leans to a problem, so no rule discards them.)
    for (const score of [0.05, 0.4]) {
      const a = assess(text, score);
      expect(a.notProblem).toBeNull();
      expect(a.intent.ask).toBe('thanks');
      expect(a.intent.reason).toMatch(reason);
    }
  });

  it('when the urgent words are what was fixed, then the thanks are asked about; when they are news, a case opens at once', () => {
    const fixed = assess('Спасибо электрикам, свет дали через два часа после аварии', 0.05);
    expect(fixed.urgency.priority).toBe('urgent');
    expect(fixed.intent.ask).toBe('thanks');
    const news = assess('Спасибо, что починили свет. Сегодня прорвало трубу в подвале', 0.9);
    expect(news.urgency.priority).toBe('urgent');
    expect(news.intent.ask).toBeNull();
  });

  it.each([
    'Спасибо за работу, но яма снова появилась',
    'Починили дорогу, спасибо. Фонари на ней так и не горят',
    'Благодарю, свет дали, а в подъезде всё ещё темно',
    'Спасибо, убрали снег. Третий день не вывозят мусор',
    'Спасибо, починили лифт. Почему в подъезде грязь?',
    'Здравствуйте! Подскажите, куда обращаться, чтобы отловили собак у садика. Спасибо',
  ])('when thanks come with a problem that is not over («%s»), then a case opens without a question', (text) => {
    const a = assess(text, 0.05);
    expect(a.notProblem).toBeNull();
    expect(a.intent.ask).toBeNull();
  });

  it.each([
    'Спасибо, но яму так и не заделали',
    'Спасибо за ответ, но свет до сих пор не дали',
    'Благодарю за ответ, однако ничего не сделано',
    'Спасибо, но яма так и осталась',
    'Спасибо за работу, но контейнеры во дворе не опустошали с позапрошлой недели',
  ])(
    'when thanks come with a complaint beside them («%s»), then a case opens without a question, however the intent model leans',
    (text) => {
      for (const score of [0.3, 0.6, 0.9]) {
        const a = assess(text, score);
        expect(a.notProblem).toBeNull();
        expect(a.intent.ask).toBeNull();
      }
    },
  );

  it('when «но» after thanks only refuses politely, then it is no complaint, and the lean still asks', () => {
    expect(assess('Спасибо, но не нужно', 0.6).intent.ask).toBe('thanks');
    expect(assess('Спасибо за новые лавочки в парке, но там бы ещё урны поставить', 0.4).intent.ask).toBe('thanks');
  });

  it.each([
    ['Сантехник 24/7: устраню засор, прорыв трубы', /offer: offer/],
    ['Уберём снег во дворе трактором, договор, безнал, 55-12-34', /offer: offer\+phone/],
    ['Заработок от 5000 в день не выходя из дома! Пиши в личку', /offer: call\+offer/],
  ])('when «%s» is an offer naming a problem, then it is asked as spam, whatever the intent model says', (text, reason) => {
    const a = assess(text, 0.05);
    expect(a.notProblem).toBeNull();
    expect(a.intent.ask).toBe('spam');
    expect(a.intent.reason).toMatch(reason);
  });

  it('when a single offer word meets an intent model that leans to not-a-problem, then ask; without that lean, a case', () => {
    const text = 'Спил деревьев любой сложности, вывоз веток';
    expect(assess(text, 0.6).intent.ask).toBe('spam');
    expect(assess(text, 0.2).intent.ask).toBeNull();
  });

  it.each([
    'Я многодетная мама, отказали в субсидии из-за дохода на 300 рублей выше. Помогите разобраться',
    'Управляющая компания берёт за услуги 500 рублей, куда жаловаться?',
    'Звонил по номеру 55-12-34 три раза, никто не берёт трубку, сломан лифт',
  ])('when a complaint names money, services or a phone («%s»), then it is no offer', (text) => {
    expect(assess(text, 0.05).intent.ask).toBeNull();
  });

  it.each([
    'а видео можно прикрепить?',
    'Подскажите, моя прошлая заявка в боте дошла?',
    'Вы отвечаете в праздники?',
    'Мне в чате ответили, спасибо, прочитала',
  ])('when «%s» is about the service itself, then it is asked about', (text) => {
    const a = assess(text, 0.05);
    expect(a.notProblem).toBeNull();
    expect(a.intent.ask).not.toBeNull();
  });

  it.each([
    'Почему мне не отвечают на обращение уже месяц?',
    'Кто отвечает за уборку двора на Попова 12?',
    'Прикрепляю фото: у остановки разбито стекло, осколки на тротуаре',
  ])('when a message about answers or photos is a complaint («%s»), then a case opens', (text) => {
    expect(assess(text, 0.05).intent.ask).toBeNull();
  });

  it('when a message is nothing but courtesy, then it opens no case, whatever a model guesses', () => {
    expect(assess('Пожалуйста)', 0)).toMatchObject({ notProblem: 'spam', notProblemReason: 'courtesy_only' });
  });
});
