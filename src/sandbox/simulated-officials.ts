import { setMaxListeners } from 'node:events';
import { ru } from '../../bots/texts/ru.js';
import type { DomainConfig } from '../../config/domain.js';
import type { Logger } from '../logger.js';
import { DRILL_TIMINGS } from './drill-domain.js';
import { officialTexts } from './official-texts.js';
import { onboardStaff, type StaffDeps } from './sandbox-staff.js';
import { SANDBOX_OPERATORS_CHAT_ID } from './simulated-citizens.js';
import { type PhoneMessage, pause, type Range, type StaffPhone } from './staff-phone.js';
import { type StaffMessengers, type StaffPhones, staffPhones } from './staff-phones.js';

// ---------------------------------------------------------------------------------------------
// Pacing and behaviour (App options override the pace; tests make it short)
// ---------------------------------------------------------------------------------------------

export interface OfficialPace {
  /** A card arrives → «Взять в работу». */
  takeMs: Range;
  /** Taken → the answer, for an official on time (well inside the drill's deadline). */
  answerMs: Range;
  /** Taken → the answer, for a late one: past the deadline and the first escalation steps. */
  lateMs: Range;
  /** Reading the bot's reply before the next step (typing the text, pressing a button). */
  typingMs: Range;
  /** An operator looks at an answer the quality gate held. */
  reviewMs: Range;
  /** Between two looks of the operator at the triage queue (/queue, then /category by the best guess). */
  sortMs: Range;
}

const minutes = (m: number) => m * 60_000;
const { finalResponseMinutes: deadline, escalationStepMinutes: step } = DRILL_TIMINGS;

export const OFFICIAL_PACE: OfficialPace = {
  takeMs: [2_000, 8_000],
  answerMs: [20_000, minutes(deadline) / 2],
  lateMs: [minutes(deadline + 2.5 * step), minutes(deadline + 3.5 * step)],
  typingMs: [1_000, 3_000],
  reviewMs: [5_000, 15_000],
  sortMs: [40_000, 70_000],
};

/** A case's first handling: the rest of the cases are answered on time with a concrete text. */
const LATE_SHARE = 0.2;
const STOCK_SHARE = 0.2;
/** After the quality gate sends an «отписка» back: these rewrite it, the rest press «Отправить всё равно». */
const REWRITE_SHARE = 0.5;
/** A late official first sends «Промежуточный ответ» this often. */
const INTERIM_SHARE = 0.5;
/** A late official first asks for more time («Продлить срок») this often; the operator approves. */
const EXTEND_SHARE = 0.5;
/** Held answers the operator sends on; the rest go back to the official. */
const APPROVE_SHARE = 0.7;

const CASE_NUMBER = /МЦУ-\d{4}-\d{6}/;
/** The bot's reply within an answer; «Обращение взято в работу.» belongs to a tap on another card. */
const isReply = (m: PhoneMessage) => m.text !== ru.taken;
/** The card's first line names an escalation (bots/texts/ru.ts, cardHeader). */
const ESCALATION = /эскалац/i;

type Style = 'on_time' | 'late' | 'stock';
/** A case as its card shows it; `card` is the message the buttons are under. */
interface CaseRef {
  id: number;
  number: string;
  card: PhoneMessage;
}

export interface SimulatedOfficialsOptions {
  pace?: Partial<OfficialPace>;
  random?: () => number;
}

const firstLine = (text: string) => (text.split('\n')[0] ?? '').slice(0, 100);

// ---------------------------------------------------------------------------------------------
// The officials, the department heads and the escalation chain, the operator
// ---------------------------------------------------------------------------------------------

/**
 * Fictional staff who work the cases on their messengers, as people would: officials take a card,
 * answer (most on time and concretely, some late, some with an «отписка» the quality gate sends
 * back), heads and the escalation chain read the overdue cards, the operator decides held answers.
 * One department works in MAX (sandboxMaxDepartment), everyone else in Telegram; the behaviour is
 * the same, only the phone differs (telegram-phone.ts, max-phone.ts).
 */
export class SimulatedOfficials {
  readonly #deps: StaffDeps;
  readonly #log: Logger;
  readonly #pace: OfficialPace;
  readonly #random: () => number;
  readonly #stop = new AbortController();
  readonly #inboxes: StaffPhones['inboxes'];
  readonly #phones: StaffPhone[];
  /** Cases an official is working on: more cards for them are reminders, nothing to start. */
  readonly #inHand = new Set<number>();
  /** How often each case was taken up: one that comes back (reopened, returned) is answered properly. */
  readonly #handled = new Map<number, number>();
  /**
   * Cases the bot would not let the official answer (one waiting in triage reaches the МЦУ's officials
   * through reminders): later cards for them are only read.
   */
  readonly #refused = new Set<number>();
  readonly stats = {
    taken: 0,
    answered: 0,
    late: 0,
    stock: 0,
    forced: 0,
    rewritten: 0,
    reviewed: 0,
    extensions: 0,
    sorted: 0,
    /** Per messenger: the cards officials received there (new ones and reminders), the final answers the bot accepted from there. */
    telegram: { cards: 0, answered: 0 },
    max: { cards: 0, answered: 0 },
  };

  constructor(deps: StaffDeps & StaffMessengers & { domain: DomainConfig }, options: SimulatedOfficialsOptions = {}) {
    this.#deps = deps;
    this.#log = deps.log;
    this.#pace = { ...OFFICIAL_PACE, ...options.pace };
    this.#random = options.random ?? Math.random;
    // Every person's pending pause and wait listens to this one signal: dozens at once is normal here.
    setMaxListeners(0, this.#stop.signal);
    const staff = staffPhones(deps.domain, deps, this.#stop.signal);
    this.#phones = staff.phones;
    this.#inboxes = staff.inboxes;
  }

  /** Binds everyone (reusing a previous run's people), then works the cards the bot sends them. */
  async start(): Promise<void> {
    for (const phone of this.#phones) phone.listen((m) => this.#onMessage(phone, m));
    const operator = this.#phones.find((p) => p.person.role === 'operator');
    if (operator) {
      operator.listen((m) => this.#onOperatorsChat(operator, m), SANDBOX_OPERATORS_CHAT_ID);
      this.#sortTriage(operator).catch((error) => this.#warn(error, 'sandbox operator could not sort the queue'));
    }
    for (const inbox of this.#inboxes) inbox.start();
    // The sandbox is a demonstration: without its staff it still runs (cards find nobody, as logged).
    await onboardStaff(this.#deps, this.#phones, this.#stop.signal).catch((error) =>
      this.#warn(error, 'sandbox officials could not be bound'),
    );
  }

  /** Stops every pending step at once: pauses end, waits for the bot resolve empty. */
  stop(): void {
    this.#stop.abort();
    for (const inbox of this.#inboxes) inbox.stop();
  }

  #onMessage(phone: StaffPhone, message: PhoneMessage): void {
    const { person } = phone;
    const via = person.messenger;
    const take = message.buttons.find((a) => a.type === 'take');
    const header = firstLine(message.text);
    if (!take) {
      if (!phone.deliver(message)) this.#log.debug({ who: person.handle, via, reply: header }, '🧪 bot → sandbox official');
      return;
    }
    if (person.role !== 'official') {
      this.#log[ESCALATION.test(header) ? 'info' : 'debug'](
        { who: person.handle, via, card: header },
        '🧪 bot → sandbox supervisor',
      );
      return;
    }
    this.#log.info({ who: person.handle, via, card: header }, '🧪 bot → sandbox official');
    this.stats[via].cards++;
    const id = take.caseId;
    if (this.#inHand.has(id) || this.#refused.has(id)) return;
    const c = { id, number: CASE_NUMBER.exec(header)?.[0] ?? '?', card: message };
    this.#work(phone, c).catch((error) => this.#warn(error, 'sandbox official could not work a case'));
  }

  /** One case from card to answer. */
  async #work(phone: StaffPhone, c: CaseRef): Promise<void> {
    const { handle: who, messenger: via } = phone.person;
    this.#inHand.add(c.id);
    try {
      const attempt = (this.#handled.get(c.id) ?? 0) + 1;
      this.#handled.set(c.id, attempt);
      const draw = this.#random();
      const style: Style =
        attempt > 1 ? 'on_time' : draw < LATE_SHARE ? 'late' : draw < LATE_SHARE + STOCK_SHARE ? 'stock' : 'on_time';
      if (!(await this.#pause(this.#pace.takeMs))) return;
      await phone.press({ type: 'take', caseId: c.id }, c.card);
      this.stats.taken++;
      this.#log.info({ who, via, case: c.number, plan: style }, '🧪 sandbox official taps «Взять в работу»');
      if (style === 'late' && this.#random() < EXTEND_SHARE) {
        if (!(await this.#pause(this.#pace.typingMs))) return;
        await phone.inLane(() => this.#askForTime(phone, c));
      }
      if (style === 'late' && this.#random() < INTERIM_SHARE) {
        if (!(await this.#pause(this.#pace.typingMs))) return;
        await phone.inLane(() => this.#answer(phone, c, 'interim', 'on_time'));
      }
      if (!(await this.#pause(style === 'late' ? this.#pace.lateMs : this.#pace.answerMs))) return;
      await phone.inLane(() => this.#answer(phone, c, 'final', style));
    } finally {
      this.#inHand.delete(c.id);
    }
  }

  /** «Ответить» (or «Промежуточный ответ»), the text, and what the quality gate says about it. */
  async #answer(phone: StaffPhone, c: CaseRef, kind: 'final' | 'interim', style: Style): Promise<void> {
    const { handle: who, messenger: via } = phone.person;
    const prompt = phone.expect(isReply);
    await phone.press({ type: 'answer', caseId: c.id, kind }, c.card);
    const asked = await prompt;
    if (asked && !asked.text.includes(c.number)) return this.#refusedBy(phone, c, asked);
    if (!asked || !(await this.#pause(this.#pace.typingMs))) return;
    const now = new Date();
    const text =
      style === 'stock'
        ? officialTexts.stock(this.#random)
        : kind === 'interim'
          ? officialTexts.interim(now, this.#random)
          : officialTexts.good(now, this.#random);
    let reply = phone.expect(isReply);
    await phone.send(text);
    if (style === 'late') this.stats.late++;
    if (style === 'stock') this.stats.stock++;
    const quality = style === 'stock' ? '«отписка»' : 'concrete';
    this.#log.info({ who, via, case: c.number, kind, answer: quality, late: style === 'late' }, '🧪 sandbox official answers');
    let result = await reply;
    if (result?.buttons.some((a) => a.type === 'force')) {
      const problems = result.text.split('\n').slice(1, -1).join(' ');
      this.#log.info({ who, via, case: c.number, problems }, '🧪 quality gate → sandbox official: looks like an «отписка»');
      if (!(await this.#pause(this.#pace.typingMs))) return;
      reply = phone.expect(isReply);
      if (this.#random() < REWRITE_SHARE) {
        this.stats.rewritten++;
        this.#log.info({ who, via, case: c.number }, '🧪 sandbox official rewrites the answer concretely');
        await phone.send(officialTexts.good(new Date(), this.#random));
      } else {
        this.stats.forced++;
        this.#log.info({ who, via, case: c.number }, '🧪 sandbox official taps «Отправить всё равно»');
        await phone.press({ type: 'force' }, result);
      }
      result = await reply;
    }
    if (result && !result.text.includes(c.number)) return this.#refusedBy(phone, c, result);
    if (result && kind === 'final') {
      this.stats.answered++;
      this.stats[via].answered++;
    }
    this.#log.info(
      { who, via, case: c.number, result: result ? firstLine(result.text) : 'no reply' },
      '🧪 bot → sandbox official',
    );
  }

  /** «Продлить срок» and the reason: the request goes to the operators' chat. */
  async #askForTime(phone: StaffPhone, c: CaseRef): Promise<void> {
    const { handle: who, messenger: via } = phone.person;
    const prompt = phone.expect(isReply);
    await phone.press({ type: 'extend', caseId: c.id }, c.card);
    const asked = await prompt;
    if (!asked || !(await this.#pause(this.#pace.typingMs))) return;
    const reply = phone.expect(isReply);
    await phone.send(officialTexts.extensionReason(this.#random));
    const result = await reply;
    this.stats.extensions++;
    this.#log.info(
      { who, via, case: c.number, result: result ? firstLine(result.text) : 'no reply' },
      '🧪 sandbox official asks for more time',
    );
  }

  #refusedBy(phone: StaffPhone, c: CaseRef, reply: PhoneMessage): void {
    this.#refused.add(c.id);
    this.#log.info(
      { who: phone.person.handle, via: phone.person.messenger, case: c.number, result: firstLine(reply.text) },
      '🧪 bot → sandbox official: refused',
    );
  }

  /** The operators' chat: held answers are sent on or returned, extension requests approved. */
  #onOperatorsChat(operator: StaffPhone, message: PhoneMessage): void {
    const held = message.buttons.find((a) => a.type === 'held_decision');
    const extension = message.buttons.find((a) => a.type === 'extension_decision');
    const decided = held ?? extension;
    if (!decided) return;
    const number = CASE_NUMBER.exec(message.text)?.[0] ?? '?';
    const approve = extension !== undefined || this.#random() < APPROVE_SHARE;
    const decision = held ? (approve ? 'sends the held answer on' : 'returns the held answer') : 'approves the extension';
    (async () => {
      if (!(await this.#pause(this.#pace.reviewMs))) return;
      await operator.press({ ...decided, approve }, message);
      this.stats.reviewed++;
      this.#log.info({ who: operator.person.handle, case: number, decision }, '🧪 sandbox operator decides');
    })().catch((error) => this.#warn(error, 'sandbox operator could not decide'));
  }

  /** Now and then the operator sorts the triage queue: each case gets the classifier's best guess. */
  async #sortTriage(operator: StaffPhone): Promise<void> {
    while (await this.#pause(this.#pace.sortMs)) {
      await operator.inLane(async () => {
        const listed = operator.expect((m) => m.text === ru.queueEmpty || m.text.startsWith(ru.queueTitle));
        await operator.command('/queue');
        const queue = await listed;
        if (!queue) return;
        for (const [, number, label] of queue.text.matchAll(/(МЦУ-\d{4}-\d{6})[^\n]*\n\s+→ ([\w-]+) \d+ %/g)) {
          if (!number || !label || !(await this.#pause(this.#pace.typingMs))) return;
          const done = operator.expect((m) => m.text.includes(number));
          await operator.command(`/category ${number} ${label}`);
          const result = await done;
          this.stats.sorted++;
          this.#log.info(
            { who: operator.person.handle, case: number, category: label, result: result ? firstLine(result.text) : 'no reply' },
            '🧪 sandbox operator sorts the triage queue',
          );
        }
      });
    }
  }

  #pause(range: Range): Promise<boolean> {
    return pause(range, this.#random, this.#stop.signal);
  }

  #warn(error: unknown, message: string): void {
    if (!this.#stop.signal.aborted) this.#log.warn({ err: error }, message);
  }
}
