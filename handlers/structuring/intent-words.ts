import type { PhraseSet } from './phrases.js';
import type { Token } from './text.js';

/**
 * The word lists and patterns of the intent rules (intent.ts, intent-ask.ts): surface forms, lower-case,
 * ё → е. A list entry matches a word it begins; «=» marks a whole word («=ям» is not «ямщик»).
 */

/** A word list written as one string, split on whitespace. */
function words(list: string): string[] {
  return list.trim().split(/\s+/);
}

// ---- signals in the raw text --------------------------------------------------------------------

export const LINK =
  /(?:https?:\/\/|www\.)[^\s]+|\b(?:t\.me|vk\.cc|vk\.com|bit\.ly|clck\.ru|goo\.gl|tinyurl\.com|wa\.me)\/[^\s]*/gi;
/** A mobile or long-distance number, or a city number written in groups («55-12-34», «000-00-00»). */
export const PHONE = /(?:\+7|\b8)[\s(-]{0,2}\d{3}[\s)-]{0,2}\d{3}[\s-]?\d{2}[\s-]?\d{2}\b|\b\d{2,3}-\d{2}-\d{2}\b/;
export const PRICE = /\d\s?(?:₽|руб|р\.|р\/|rub\b|\$|€|%)|(?:₽|\$|€)\s?\d/i;

/** Selling calls, matched as word beginnings («подпиш» — подпишись, подпишитесь); «=» marks a whole word. */
export const CALLS = words(`
  купите покупайте закажи заказывайте =продам =продаю =куплю =сдам =сдаю =отдам =отдаю подпиш подписыв =переходи =переходите жми кликай
  =заработок =заработка =заработком заработай =доход =дохода =доходом промокод акция скидк распродаж кредит =займ =займы микрозайм казино букмекер вебинар
  инвестиц недорого дешево личку =директ =звоните =звонить =обращайтесь розыгрыш =выиграй buy subscribe discount promo casino earn
  грузоперевоз грузчик =гарантия =гарантией =услуги репетитор маникюр натяжн
`);
/**
 * Selling calls that a complaint uses too («услуги УК», «отказали из-за дохода», «кредит», «акция»):
 * they do not count towards an offer that is asked about despite a problem word (intent-ask.ts).
 */
export const PLAIN_CALLS = words(
  `=доход =дохода =доходом акция кредит инвестиц =гарантия =гарантией =услуги =звонить =займ =займы`,
);

/**
 * The terms of an offer, as a service advertises itself rather than a citizen complains: a first-person
 * promise of work («устраню», «уберём», «вывезем»), «работаем с …», a contract or cashless payment, «под
 * ключ», «любой сложности», round the clock «24/7». Word beginnings; «=» a whole word. One of them alone
 * decides nothing (a citizen may write «работаем из дома»); with a selling call, a price, a phone, a link
 * or a second offer word it is an offer.
 */
export const OFFERS = words(`
  =устраню =устраним =уберем =уберу =вывезем =вывезу =спилим =починим =почину =отремонтируем =установим =выполним =выполняем
  =выполню =сделаем =предлагаем =предлагаю =оказываем =работаем =доставим =привезем =договор =договору =безнал =безналичный
  =предоплаты =прайс =спецтехника =выезд
`);
/** Offer phrases in the raw text: «любой сложности», «под ключ», «в добрые руки», «24/7», «от производителя». */
export const OFFER_PHRASE =
  /любой\s+сложности|под\s+ключ|в\s+добрые\s+руки|\b24\s?\/\s?7\b|в\s+день\s+обращения|не\s+выходя\s+из\s+дома|от\s+производител/i;

/**
 * Selling and promotion calls that a complaint to the city does not use (intent-sure.ts): buy, order,
 * vote, subscribe, follow the link, a seller's first-person promise, a trade's own name. Not «звоните»,
 * «услуги», «договор», «акция», «скидка» (a citizen writes «звоните в РЭС», «по договору», «акция в
 * магазине»): those are at most a second signal. Word beginnings; «=» a whole word.
 */
export const SALE_CALLS = words(`
  =купи =купите покупайте закажи заказывайте =продам =продаю =куплю =сдам =сдаю голосуй проголосуй подпиш подписыв
  =переходи =переходите =жми =жмите кликай =успей =успейте регистрируй =заработай промокод казино букмекер недорого дешево
  грузоперевоз грузчик репетитор маникюр натяжн =устраню =устраним =уберем =вывезем =спилим =починим =отремонтируем
  =установим =выполним =выполняем =предлагаем =предлагаю =оказываем =доставим =привезем =безнал =прайс каталог
  buy subscribe vote
`);
/** A link named in words: «ссылка в профиле», «по ссылке», «на сайте», «в лс», «каталог на сайте». */
export const LINK_MENTION =
  /ссылк\p{L}*\s+(?:в|на)\s+(?:профил|шапк|описани|био|комментари|канал|групп)|по\s+ссылке|на\s+(?:нашем\s+)?сайте|в\s+(?:лс|личк\p{L}*|директ)(?![\p{L}])/iu;
/** Promotion: «скидка», «акция», «бесплатный замер», «распродажа», «промокод», «кэшбэк». */
export const PROMO =
  /скидк|(?<![\p{L}])акци[яиюей]|бесплатн\p{L}*\s+(?:замер|выезд|доставк|консультац|установк|пробн)|распродаж|промокод|к[эе]шб[эе]к/iu;
/**
 * Words of a complaint to the city rather than an offer: its authorities and managers, or impatience
 * («Купите уже нормальные автобусы», «администрация, наконец»). An advert has none of them.
 */
export const TO_THE_CITY = words(`
  администрац власт =мэр =мэрия =мэрии чиновник депутат =глава =губернатор мцу управляющ
  =ук =жэу =тсж =жкх =уже =наконец =сколько
`);

// ---- word classes (surface forms, lower-case, ё → е) --------------------------------------------

export const GRATITUDE_WORDS = new Set(words(`спс thx респект respect`));
/** Beginnings of gratitude: спасибо, спасибки; благодарю, благодарны, поблагодарить; признательны; thanks. */
export const GRATITUDE_STEMS = words(`спасиб благодар поблагодар признательн thank`);
export const isGratitude = (word: string) => GRATITUDE_WORDS.has(word) || GRATITUDE_STEMS.some((s) => word.startsWith(s));
export const GREETING = new Set(
  words(`
  здравствуйте здравствуй здрасьте привет приветствую добрый доброе доброго добрая доброй день утро вечер вечера
  дня ночи времени суток хорошего хорошей праздником новым годом рождеством днем города победы хороших выходных поздравляю поздравляем hello hi
`),
);
/** Praise of the people who did the work: thanks without a thanks word («Работники — молодцы»). */
export const PRAISE_OF_PEOPLE = new Set(words(`молодцы молодец герои ура`));
/** Praise of the work or its speed: thanks only in a short message («уже горит) быстро вы»). */
export const PRAISE_OF_WORK = new Set(
  words(`оперативно оперативность счастлив счастливы доволен довольна довольны рады радует быстро`),
);
/** Praise without a thanks word («Отличная работа, двор преобразился») counts as thanks. */
export const PRAISE = new Set(
  words(`
  отличная отлично прекрасная прекрасно замечательно замечательная здорово молодцы молодец ура оперативно оперативная
  оперативность быстро great счастлив счастливы доволен довольна довольны рад рада рады радует приятно happy
`),
);
/** Checking that someone is there: «Алло, есть кто?», «Вы тут?», «Это бот?». */
export const PRESENCE = new Set(
  words(`
  алло ау тут здесь есть кто нибудь живой живые работаете отвечаете бот чат сюда можно писать обращения обращение это слышно
  hello anybody anyone someone there here
`),
);
export const ACKNOWLEDGEMENT = new Set(
  words(`
  ок ok окей okay хорошо понятно ясно принято ладно угу да нет тест проверка связи
`),
);
export const POLITE = new Set(
  words(`
  заранее пожалуйста большое огромное искренне сердечно душевно уважаемые уважаемый уважаемая дорогие дорогой друзья всех
  всем барнаул барнаула барнаульцы жители хорошая работа работу вашу ваш вашей администрация администрации
`),
);
export const STOP = new Set(
  words(`
  и а в во на за с со к ко по о об от
  до из у для при что чтобы как так это все вот же ли
  бы уж еще ещё уже я мы вы ты он она они мне нам
  вам вас нас тебе вами нами его ее их мой моя наш наша ваши
  наши очень тоже том то ну
`),
);

/** Work done (beginnings; «=» a whole word), or the good state after it: thanks that say what was fixed. */
export const DONE = words(`
  починил отремонтир сделал сделан убрал убран прибрал почистил почищен очистил вычистил расчистил вывез устранил устранен заменил заменен
  восстановил восстановлен =дали =дал =подали включил подключил заасфальтир асфальтир покрасил поставил установил спилил обрезал подрезал
  отреагир откликнул помогл помог решил решен наладил настроил залатал подлатал засыпал отсыпал посыпал заделал привел прислал
  навел сработал справил отловил отловлен покосил скосил построил благоустроил облагородил озеленил высадил посадил
  нанесл обновил возобновил запустил вернул провел потеплел заработал загорел наконец
  поменял помыл вымыл увез забрал привез грейдир отгрейдир устраня
  fixed repaired cleaned
`);
/** The good state after work (whole words): «фонарь горит», «автобус ходит», but also «горит целый день». */
export const DONE_STATES = words(`=горит =горят =работает =работают =светло =тепло =чисто =греют =ходит =ходят works`);
/** Words that ask for more after thanks: «…, а во дворе всё ещё темно», «теперь бы ещё дорогу», «заранее спасибо». */
export const ASKS_MORE = new Set(
  words(`но а однако только ещё еще бы осталось остался осталась остались жаль жалко заранее but still`),
);

/**
 * What a message about the service itself names (the bot, the chat, an appeal and its answer, attaching
 * a photo, writing anonymously): «а фото можно прикрепить?», «моё прошлое обращение дошло?».
 */
export const SERVICE = words(`
  =бот =бота =боту =ботом =боте =чат =чата =чате =мцу обращени =ответ =ответа =ответе =ответом =ответили =ответил =ответила
  =отвечаете =ответите =отвечаете прикреп =фото =фотографии =видео =сюда аноним оператор english bot
`);
/** Asking for something: a request, a recurrence or a why («прошу», «уберите», «опять», «почему»). */
export const REQUEST = words(`
  =убрать =уберите =починить =почините =отремонтировать =отремонтируйте =устранить =устраните =заменить =замените
  =восстановите =вывезти =вывезите =снимите =удалите =закрасьте =сделайте помогите просьба прошу просим =требую =требуем
  разберитесь примите обращаюсь опять снова почему зачем жалу отписк help
`);
/** Question words that ask the city for something or for where to go: «куда обжаловать?», «подскажите». */
export const QUESTION_WORDS = new Set(words(`куда где когда подскажите подскажете`));

// ---- problem markers ----------------------------------------------------------------------------

/**
 * Complaint words (beginnings; «=» a whole word): broken, leaking, danger, requests, questions — a
 * message with one of them is a problem whatever else it says.
 */
export const PROBLEM_STEMS = words(`
  слома разбит разруш течет текут течь протек потек подтек затоп топит залива прорва прорыв недовол
  авари оборван поврежд несоблюд нарушен вонь воня вонищ
  холодн провал трещин опасн угроз жалоб неисправ невозможно нельзя надоел
  безобраз ужас кошмар =убрать =уберите =починить =почините =отремонтировать =отремонтируйте =устранить =устраните =заменить =замените
  =покрасить =восстановить =восстановите =вывезти =вывезите =очистить =почистить =снимите =снять =удалите =удалить =закрасьте =закрасить =сделайте помогите просьба прошу просим =требую =требуем разберитесь обращаюсь подскажите опять снова
  почему зачем когда куда =где жалу отписк формальн broken help
`);
/**
 * Topic words of common problems (holes, rubbish, dirt, ice, graffiti): a problem on their own, but
 * also what thanks for a fix name («яму заделали, спасибо»), so thanks for work done beat them.
 */
export const TOPIC_STEMS = words(`
  яма ямы ямк =ям =яме =яму =ямой =ямах =ямами выбоин мусор свалк грязь грязн сосульк гололед =лужа =лужи =луж надпис объявлени граффити
  hole garbage
`);
export const SERVICE_AFTER_WITHOUT = /^(?:вод|свет|тепл|отоплен|газ|электр|связ|горяч|холодн|лифт|интернет)/;
export const DURATION = /^(?:дн|день|дня|дней|недел|месяц|сутк|год)/;
export const ORDINAL = /^(?:\d+|второ|трет|четверт|пят|шест|котор|цел|вс)/;
export const STREET_WORD = /^(?:ул|улица|улице|пр|проспект|пер|переулок|тракт|д|дом|доме|кв|подъезд|подъезде|двор|дворе|мкр)$/;
export const COMPLAINT_VERB = /^(?:стоит|стоят|лежит|лежат|валя|вис|торч|бежит|сыпл|руш|пада|воня|шум|мешает|горит|горят)/;

/** Words of a complaint about adverts: then a quoted offer is not itself an advert. */
export const ADVERT_TALK = words(`реклам объявлени листовк расклеи наклеи обклеи заклеи баннер вывеск жалу спам`);

// ---- reading words with the lists ----------------------------------------------------------------

/** A word-list entry matches a word it begins, or exactly the word after «=» («=ям» is not «ямщик»). */
export function matchesEntry(word: string, entry: string): boolean {
  return entry.startsWith('=') ? word === entry.slice(1) : word.startsWith(entry);
}

/** Whether a word says something: not gratitude, praise, a greeting, politeness or a function word. */
export function isContent(word: string): boolean {
  return !(
    isGratitude(word) ||
    PRAISE.has(word) ||
    GREETING.has(word) ||
    PRESENCE.has(word) ||
    ACKNOWLEDGEMENT.has(word) ||
    POLITE.has(word) ||
    STOP.has(word)
  );
}

/** Gratitude or praise among the words, or a structuring.notProblem.thanks phrase. */
export function thanks(tokens: readonly Token[], thanksPhrases: PhraseSet): boolean {
  return tokens.some((t) => isGratitude(t.word) || PRAISE.has(t.word)) || thanksPhrases.firstIn(tokens) !== null;
}

/** Work not done: «так и не починили», «фонари не горят». */
export function undone(tokens: readonly Token[]): boolean {
  return tokens.some((t, i) => tokens[i - 1]?.word === 'не' && [...DONE, ...DONE_STATES].some((e) => matchesEntry(t.word, e)));
}

/** The first word of work done (or, unless `states` is false, of the good state after it) in the words, or null. */
export function findDone(tokens: readonly Token[], states = true): string | null {
  const entries = states ? [...DONE, ...DONE_STATES] : DONE;
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i]?.word ?? '';
    // A reflexive verb is something that happened, not work done: «загорелся» is not «загорел», «вернулась» not «вернули».
    // «не починили» is not done, «чтобы отловили» is wished.
    if (/(?:ся|сь)$/.test(word) || tokens[i - 1]?.word === 'не' || tokens[i - 1]?.word === 'чтобы') continue;
    for (const entry of entries) if (matchesEntry(word, entry)) return word;
  }
  return null;
}
