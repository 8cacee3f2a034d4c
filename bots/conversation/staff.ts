import type { AnswersApi, OfficialTextOutcome } from '../../handlers/answers/index.js';
import type { CasesApi } from '../../handlers/cases/index.js';
import type { CommandsApi } from '../../handlers/commands/index.js';
import type { PagesApi } from '../../handlers/pages/index.js';
import type { PeopleApi, RedeemOutcome } from '../../handlers/people/index.js';
import { hasReportContent } from '../../handlers/reports/index.js';
import type { PressedMessage, StaffBroadcastsApi } from '../../handlers/staff-broadcasts/index.js';
import type { StaffAccount } from '../../models/staff-account.js';
import { type ButtonAction, type Buttons, caseCardButtons, forceButtons } from '../outbound/buttons.js';
import { ru, type TextCity } from '../texts/ru.js';
import { broadcastCommand, broadcastPress, broadcastText } from './broadcast.js';

/**
 * The officials' and operators' conversation with the bot, whatever the messenger: the staff
 * commands, the card and alert buttons, the official's text that answers a case, the invite. Each
 * messenger (bots/telegram/features/officials.ts, bots/max/) parses its own update, calls these and
 * delivers the reply in its own way; the words and the decisions are here, once.
 */

export interface StaffConversationDeps {
  /** The domain file's city: its time zone and locale write deadlines. */
  city: TextCity;
  people?: PeopleApi | undefined;
  commands?: CommandsApi | undefined;
  cases?: CasesApi | undefined;
  answers?: AnswersApi | undefined;
  /** /broadcast, its text, its buttons and the progress message's (bots/conversation/broadcast.ts). */
  staffBroadcasts?: StaffBroadcastsApi | undefined;
  /** /pages: the registry of official pages (handlers/pages). */
  pages?: PagesApi | undefined;
}

/** A reply in the chat: text and, where the step offers them, buttons. */
export interface ChatReply {
  text: string;
  buttons?: Buttons;
}

/** The staff commands every messenger offers (without the slash). */
export const STAFF_COMMANDS = [
  'my',
  'overdue',
  'case',
  'queue',
  'category',
  'assign',
  'merge',
  'stats',
  'rating',
  'problems',
  'report',
  'pages',
  'broadcast',
  'login',
] as const;
export type StaffCommand = (typeof STAFF_COMMANDS)[number];

export function isStaffCommand(name: string): name is StaffCommand {
  return (STAFF_COMMANDS as readonly string[]).includes(name);
}

const CASE_NUMBER = /^МЦУ-\d{4}-\d{6}$/;
const CASE_IN_TEXT = /МЦУ-\d{4}-\d{6}/;

/**
 * One staff command with its arguments (the text after the command). Null when this instance has
 * no use case for it (nothing is said, as before the features were wired).
 */
export async function staffCommand(
  deps: StaffConversationDeps,
  account: StaffAccount,
  command: StaffCommand,
  args: string,
): Promise<ChatReply | null> {
  const { people, commands, city } = deps;
  const words = args.trim() === '' ? [] : args.trim().split(/\s+/);
  const department = (id: string) => people?.titles('official', id).department ?? id;
  switch (command) {
    case 'my': {
      if (!people) return null;
      const result = await people.myCases(account);
      if (result.status === 'forbidden') return { text: ru.forbidden };
      const t = people.titles(result.official.role, result.official.department);
      if (result.cases.length === 0) return { text: ru.myCasesEmpty(t.department) };
      return { text: [ru.myCasesTitle(t.department), ...result.cases.map((c) => ru.myCaseLine(c, city))].join('\n') };
    }
    case 'overdue': {
      if (!people) return null;
      const arg = args.trim();
      if (arg !== '' && arg !== 'all') return { text: ru.overdueUsage };
      const result = await people.overdue(account, arg === 'all');
      if (result.status === 'forbidden') return { text: ru.forbidden };
      const where = result.scope === 'all' ? 'все подразделения' : department(result.department);
      return {
        text:
          result.cases.length === 0
            ? ru.overdueEmpty(where)
            : [ru.overdueTitle(where), ...result.cases.map((c) => ru.myCaseLine(c, city))].join('\n'),
      };
    }
    case 'case': {
      if (!people) return null;
      const number = args.trim();
      if (!CASE_NUMBER.test(number)) return { text: ru.caseUsage };
      const result = await people.caseCard(account, number);
      if (result.status === 'ok') return { text: ru.reminderCard(result.card, city), buttons: caseCardButtons(result.card) };
      return { text: result.status === 'forbidden' ? ru.forbidden : ru.caseNotFound(number) };
    }
    case 'queue': {
      if (!commands) return null;
      const result = await commands.queue(account);
      if (result.status === 'forbidden') return { text: ru.forbidden };
      return {
        text:
          result.cases.length === 0
            ? ru.queueEmpty
            : [ru.queueTitle, ...result.cases.map((c) => `${ru.myCaseLine(c, city)}${ru.suggestionsLine(c.suggestions)}`)].join(
                '\n',
              ),
      };
    }
    case 'category': {
      if (!commands || !people) return null;
      const [number, category, ...rest] = words;
      if (!number || !category || rest.length > 0 || !CASE_NUMBER.test(number)) return { text: ru.categoryUsage };
      const result = await commands.category(account, number, category);
      // Officials read department names, not ids.
      const named = result.department ? { department: department(result.department) } : {};
      return { text: ru.categoryResult({ ...result, ...named }, number, category) };
    }
    case 'assign': {
      if (!commands || !people) return null;
      const [number, target, ...rest] = words;
      if (!number || !target || rest.length > 0 || !CASE_NUMBER.test(number)) return { text: ru.assignUsage };
      const result = await commands.assign(account, number, target);
      const named = 'department' in result ? { department: department(result.department) } : {};
      return { text: ru.assignResult({ ...result, ...named }, number, target) };
    }
    case 'merge': {
      if (!commands) return null;
      const [number, into, ...rest] = words;
      if (!number || !into || rest.length > 0 || !CASE_NUMBER.test(number) || !CASE_NUMBER.test(into))
        return { text: ru.mergeUsage };
      return { text: ru.mergeResult(await commands.merge(account, number, into), number, into) };
    }
    case 'stats': {
      if (!commands) return null;
      const arg = args.trim();
      const days = arg === '' ? 30 : Number(arg);
      if (!Number.isInteger(days) || days < 1 || days > 366) return { text: ru.statsUsage };
      const result = await commands.stats(account, days);
      if (result.status === 'forbidden') return { text: ru.forbidden };
      return { text: ru.stats(result, days, department) };
    }
    case 'rating': {
      if (!commands) return null;
      const arg = args.trim();
      const days = arg === '' ? 30 : Number(arg);
      if (!Number.isInteger(days) || days < 1 || days > 366) return { text: ru.ratingUsage };
      const result = await commands.rating(account, days);
      if (result.status === 'forbidden') return { text: ru.forbidden };
      return { text: ru.rating(result.report, days, result.own) };
    }
    case 'problems': {
      if (!commands) return null;
      const result = await commands.problems(account, 10);
      return { text: result.status === 'forbidden' ? ru.forbidden : ru.problems(result.items) };
    }
    case 'report': {
      if (!commands) return null;
      const result = await commands.report(account);
      if (result.status === 'forbidden') return { text: ru.forbidden };
      return { text: hasReportContent(result.report) ? ru.weeklyReport(result.report) : ru.reportEmpty };
    }
    case 'pages': {
      if (!deps.pages) return null;
      const result = await deps.pages.forStaff(account);
      return { text: result.status === 'ok' ? ru.pages(result) : ru.forbidden };
    }
    case 'broadcast':
      return broadcastCommand(deps, account);
    case 'login': {
      if (!people) return null;
      const link = await people.consoleLink(account);
      if (link.status !== 'issued') return { text: ru.forbidden };
      return {
        text: ru.consoleLink(link.url, link.expiresAt, city),
        ...(link.url.startsWith('https://') ? { buttons: [[{ label: ru.consoleLinkButton, url: link.url }]] } : {}),
      };
    }
  }
}

/** The buttons of cards, the quality gate, operators' alerts and the staff's broadcasts. */
export type StaffAction = Extract<
  ButtonAction,
  {
    type:
      | 'take'
      | 'answer'
      | 'force'
      | 'extend'
      | 'redirect'
      | 'ask'
      | 'extension_decision'
      | 'held_decision'
      | 'broadcast'
      | 'broadcast_segment'
      | 'broadcast_problem';
  }
>;

const STAFF_ACTIONS: ReadonlySet<string> = new Set<StaffAction['type']>([
  'take',
  'answer',
  'force',
  'extend',
  'redirect',
  'ask',
  'extension_decision',
  'held_decision',
  'broadcast',
  'broadcast_segment',
  'broadcast_problem',
]);

export function isStaffAction(action: ButtonAction): action is StaffAction {
  return STAFF_ACTIONS.has(action.type);
}

/**
 * What a press comes to: a short notice on the button (Telegram's callback answer, MAX's
 * notification), a reply in the chat, and for an operators' decision a line to add to the alert,
 * so everyone in the chat sees who decided (the alert keeps its text and loses its buttons).
 */
export interface PressOutcome {
  notice?: string;
  reply?: ChatReply;
  decided?: string;
  /** Replaces the pressed message's text and buttons (sent as a new message where it cannot be edited). */
  edit?: ChatReply;
  /** Replaces the pressed message's buttons only. */
  buttons?: Buttons;
  /** The edited message is this broadcast's progress message: if it went as a new one, store that one. */
  progressOf?: number;
}

/**
 * A staff button pressed by `account`; `who` is the name the operators' chat shows, `pressed` where the
 * pressed message is (a broadcast's «Запустить» turns it into the progress message). Null when not wired here.
 */
export async function staffPress(
  deps: StaffConversationDeps,
  account: StaffAccount,
  action: StaffAction,
  who: string,
  pressed: PressedMessage | null = null,
): Promise<PressOutcome | null> {
  switch (action.type) {
    case 'broadcast':
    case 'broadcast_segment':
    case 'broadcast_problem':
      return broadcastPress(deps, account, action, pressed);
    case 'force': {
      if (!deps.answers) return null;
      return { reply: officialReply(await deps.answers.force(account), deps.city) };
    }
    case 'answer':
    case 'extend':
    case 'redirect':
    case 'ask': {
      if (!deps.answers) return null;
      const kind =
        action.type === 'answer'
          ? action.kind
          : action.type === 'extend'
            ? 'extension'
            : action.type === 'ask'
              ? 'question'
              : 'redirect';
      const started = await deps.answers.startAnswer(action.caseId, kind, account);
      if (started.status !== 'ready') return { reply: { text: started.status === 'forbidden' ? ru.forbidden : ru.staleButton } };
      const prompt =
        kind === 'extension'
          ? ru.writeExtensionReason(started.caseNumber)
          : kind === 'redirect'
            ? ru.writeRedirectReason(started.caseNumber)
            : kind === 'question'
              ? ru.writeQuestion(started.caseNumber)
              : ru.writeAnswer(started.caseNumber, kind);
      return { reply: { text: prompt } };
    }
    case 'extension_decision':
    case 'held_decision': {
      if (!deps.commands) return null;
      const outcome =
        action.type === 'extension_decision'
          ? await deps.commands.decideExtension(action.requestId, action.approve, account)
          : await deps.commands.reviewHeld(action.answerId, action.approve, account);
      if (outcome.status === 'forbidden') return { notice: ru.forbidden };
      const text = ru.decision(action.type === 'extension_decision' ? 'extension' : 'answer', outcome, who);
      return { notice: text, decided: text };
    }
    case 'take': {
      if (!deps.cases) return null;
      const outcome = await deps.cases.take(action.caseId, account);
      if (outcome.status === 'changed') return { reply: { text: ru.taken } };
      return { notice: outcome.status === 'forbidden' ? ru.forbidden : ru.staleButton };
    }
  }
}

/**
 * An official's text in a private chat (a reply to a message naming a case, or the next message
 * after «Ответить» — or after /broadcast: the broadcast's draft), with the photos they attached. Null
 * when the writer is not an official: the text is a citizen's and goes to intake.
 */
export async function officialText(
  deps: StaffConversationDeps,
  account: StaffAccount,
  text: string,
  replyToText: string | undefined,
  photos?: Parameters<AnswersApi['submit']>[3],
): Promise<ChatReply | null> {
  // After /broadcast the next text is the broadcast's, unless it replies to a message naming a case.
  if (!replyToText || !CASE_IN_TEXT.test(replyToText)) {
    const draft = await broadcastText(deps, account, text, photos?.length ?? 0);
    if (draft) return draft;
  }
  if (!deps.answers) return null;
  const outcome = await deps.answers.submit(account, text, replyToText, photos);
  return outcome.status === 'not_official' ? null : officialReply(outcome, deps.city);
}

/** An official's reply in the chat: sent, held, or back for revision with «Отправить всё равно». */
export function officialReply(outcome: OfficialTextOutcome, city: TextCity): ChatReply {
  switch (outcome.status) {
    case 'no_case':
      return { text: ru.officialNoCase };
    case 'forbidden':
      return { text: ru.forbidden };
    case 'needs_revision':
      return { text: ru.answerNeedsRevision(outcome.quality.problems), buttons: forceButtons() };
    case 'queued':
      return {
        text: outcome.onPage ? ru.answerRecordedOnPage(outcome.caseNumber ?? '') : ru.answerSent(outcome.caseNumber ?? ''),
      };
    case 'held':
      return { text: ru.answerHeld(outcome.caseNumber ?? '') };
    case 'extension':
      return { text: ru.extensionResult(outcome.result, city) };
    case 'redirect':
      return { text: ru.redirectResult(outcome.result) };
    case 'question':
      return { text: ru.askResult(outcome.result) };
    case 'invalid_transition':
      return { text: ru.answerNotAllowed(outcome.from) };
    default:
      return { text: ru.staleButton };
  }
}

/** An invite token as it comes in a deep link (`?start=<token>`). */
export const INVITE_TOKEN = /^[A-Za-z0-9_-]{32}$/;

/** The words after an invite was opened: bound (with the person's titles), or why not. */
export function inviteReply(people: PeopleApi, outcome: RedeemOutcome): ChatReply {
  if (outcome.status !== 'bound') return { text: ru.inviteRefused[outcome.status] };
  const t = people.titles(outcome.official.role, outcome.official.department);
  return { text: ru.officialBound(outcome.official.name, t.role, t.department) };
}

/** /help: a citizen's help, and for staff their commands too. */
export async function helpText(deps: Pick<StaffConversationDeps, 'people'>, account: StaffAccount): Promise<string> {
  const staff = deps.people ? await deps.people.staffKind(account).catch(() => null) : null;
  return ru.helpFor(staff);
}
