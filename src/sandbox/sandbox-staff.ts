import type { DomainConfig, Role } from '../../config/domain.js';
import type { Logger } from '../logger.js';
import { SANDBOX_NAMES } from './official-texts.js';
import type { SandboxMessenger, SandboxPerson } from './sandbox-person.js';
import type { StaffPhone } from './staff-phone.js';

/** Who works in the sandbox, on which messenger, and how they are bound (invite, then the link opened). */

/** What onboarding needs from the app: the invite use case and the list of people. */
export interface StaffDeps {
  log: Logger;
  /** inviteOfficial: the single-use token, or null when the invite was refused. */
  invite(person: { name: string; department: string; role: Role }): Promise<string | null>;
  /** Everyone invited so far, to reuse the people a previous sandbox run bound (same DATA_DIR). */
  people(): Promise<{ accounts: { channel: string; userId: string }[]; department: string; role: string; active: boolean }[]>;
}

// Fictional Telegram ids, far from real ones and from the simulated citizens' (9_000_000_00x).
const FIRST_DEPARTMENT_ID = 9_100_000_000;
const FIRST_STAFF_ID = 9_100_900_000;
// Fictional MAX user ids and dialog chat ids, apart from the simulated MAX citizens' (9_100_000_00x, 8_100_000_00x).
const FIRST_MAX_USER_ID = 9_200_000_000;
const FIRST_MAX_CHAT_ID = 8_200_000_000;
const BIND_TIMEOUT_MS = 15_000;

/** Every department a category or a routing rule can send a case to, in the domain file's order. */
function routedDepartments(domain: DomainConfig): string[] {
  const known = new Set(domain.departments.map((d) => d.id));
  return [...domain.categories.map((c) => c.department), ...(domain.structuring?.routing ?? []).map((r) => r.department)].filter(
    (d, i, all) => known.has(d) && all.indexOf(d) === i,
  );
}

/**
 * The department whose official and head work in MAX (everyone else works in Telegram): the one the
 * domain file's first category routes to. With Barnaul's file that is `housing-utilities` (heating,
 * water, sewage, buildings), which most of the simulated citizens' problems reach, so MAX cards
 * come as often as Telegram ones.
 */
export function sandboxMaxDepartment(domain: DomainConfig): string | null {
  return routedDepartments(domain)[0] ?? null;
}

/**
 * Who works in the sandbox: an official and a department head for every department a category or a
 * routing rule can send a case to (whatever the classifier decides, someone gets the card), an МЦУ
 * operator for the operators' chat, and one person for each escalation role above the department.
 * The official and the head of `maxDepartment` are MAX users; everyone else uses Telegram.
 */
export function sandboxRoster(domain: DomainConfig, options: { maxDepartment?: string | null } = {}): SandboxPerson[] {
  const name = (i: number) => SANDBOX_NAMES[i % SANDBOX_NAMES.length] ?? 'Сотрудник';
  const account = (messenger: SandboxMessenger, n: number) =>
    messenger === 'max'
      ? { messenger, userId: FIRST_MAX_USER_ID + n, chatId: FIRST_MAX_CHAT_ID + n }
      : { messenger, userId: FIRST_DEPARTMENT_ID + n, chatId: FIRST_DEPARTMENT_ID + n };
  const people: SandboxPerson[] = routedDepartments(domain).flatMap((department, i) => {
    const messenger: SandboxMessenger = department === options.maxDepartment ? 'max' : 'telegram';
    return [
      {
        ...account(messenger, i * 10),
        handle: `official@${department}`,
        name: name(2 * i),
        role: 'official' as const,
        department,
      },
      {
        ...account(messenger, i * 10 + 1),
        handle: `head@${department}`,
        name: name(2 * i + 1),
        role: 'department_head' as const,
        department,
      },
    ];
  });
  const staffDepartment = domain.departments.find((d) => d.kind === 'mcu')?.id ?? domain.departments[0]?.id ?? 'mcu';
  const chain = domain.sla.escalation.steps
    .map((s) => s.role)
    .filter((role, i, all) => !['department_head', 'official', 'operator'].includes(role) && all.indexOf(role) === i);
  for (const [j, role] of ['operator' as const, ...chain].entries()) {
    const id = FIRST_STAFF_ID + j;
    people.push({
      messenger: 'telegram',
      userId: id,
      chatId: id,
      handle: role,
      name: name(j + 5),
      role,
      department: staffDepartment,
    });
  }
  return people;
}

/**
 * Binds every person as a real official would: an invite, then the link opened on their messenger
 * (`/start <token>` in Telegram, the deep link's `bot_started` in MAX). People a previous run bound
 * are reused: an active person of the same department and role with this account on this
 * messenger. Resolves once all are bound (or after a timeout, with a warning), so the first case's
 * card finds its official.
 */
export async function onboardStaff(deps: StaffDeps, phones: readonly StaffPhone[], signal: AbortSignal): Promise<void> {
  const roster = phones.map((phone) => phone.person);
  const isBound = (rows: Awaited<ReturnType<StaffDeps['people']>>, p: SandboxPerson) =>
    rows.some(
      (r) =>
        r.active &&
        r.accounts.some((a) => a.channel === p.messenger && a.userId === String(p.userId)) &&
        r.department === p.department &&
        r.role === p.role,
    );
  const before = await deps.people();
  const fresh = phones.filter((phone) => !isBound(before, phone.person));
  for (const phone of fresh) {
    const { person } = phone;
    if (signal.aborted) return;
    const token = await deps.invite({ name: person.name, department: person.department, role: person.role });
    if (!token) {
      deps.log.warn({ who: person.handle }, 'sandbox: invite refused');
      continue;
    }
    await phone.bind(token);
    deps.log.debug(
      { who: person.handle, via: person.messenger },
      person.messenger === 'max'
        ? '🧪 sandbox official opens the MAX invite link (bot_started with the invite)'
        : '🧪 sandbox official → bot: /start <invite>',
    );
  }
  const until = Date.now() + BIND_TIMEOUT_MS;
  while (!signal.aborted) {
    const rows = await deps.people();
    const missing = roster.filter((p) => !isBound(rows, p));
    if (missing.length === 0) break;
    if (Date.now() > until) {
      deps.log.warn({ missing: missing.map((p) => p.handle) }, 'sandbox: some officials are not bound yet; continuing');
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const inMax = roster.filter((p) => p.messenger === 'max');
  deps.log.info(
    {
      people: roster.length,
      invited: fresh.length,
      reused: roster.length - fresh.length,
      telegram: roster.length - inMax.length,
      max: inMax.map((p) => p.handle),
    },
    '🧪 sandbox officials bound: an official and a head per department, an operator and the escalation chain',
  );
}
