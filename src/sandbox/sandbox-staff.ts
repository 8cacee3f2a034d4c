import type { DomainConfig, Role } from '../../config/domain.js';
import type { Logger } from '../logger.js';
import { SANDBOX_NAMES } from './official-texts.js';
import type { SandboxPerson } from './sandbox-person.js';
import type { StaffPhone } from './staff-phone.js';
import type { TelegramEmulator } from './telegram-emulator.js';

/** One simulated member of staff: a fictional Telegram account bound to a fictional person. */

/** What onboarding needs from the app: the invite use case and the list of people. */
export interface StaffDeps {
  emulator: TelegramEmulator;
  log: Logger;
  /** inviteOfficial: the single-use token, or null when the invite was refused. */
  invite(person: { name: string; department: string; role: Role }): Promise<string | null>;
  /** Everyone invited so far, to reuse the people a previous sandbox run bound (same DATA_DIR). */
  people(): Promise<{ accounts: { channel: string; userId: string }[]; department: string; role: string; active: boolean }[]>;
}

// Fictional Telegram ids, far from real ones and from the simulated citizens' (9_000_000_00x).
const FIRST_DEPARTMENT_ID = 9_100_000_000;
const FIRST_STAFF_ID = 9_100_900_000;
const BIND_TIMEOUT_MS = 15_000;

/**
 * Who works in the sandbox: an official and a department head for every department a category or a
 * routing rule can send a case to (whatever the classifier decides, someone gets the card), an МЦУ
 * operator for the operators' chat, and one person for each escalation role above the department.
 */
export function sandboxRoster(domain: DomainConfig): SandboxPerson[] {
  const known = new Set(domain.departments.map((d) => d.id));
  const routed = [
    ...domain.categories.map((c) => c.department),
    ...(domain.structuring?.routing ?? []).map((r) => r.department),
  ].filter((d, i, all) => known.has(d) && all.indexOf(d) === i);
  const name = (i: number) => SANDBOX_NAMES[i % SANDBOX_NAMES.length] ?? 'Сотрудник';
  const people: SandboxPerson[] = routed.flatMap((department, i) => [
    {
      telegramUserId: FIRST_DEPARTMENT_ID + i * 10,
      handle: `official@${department}`,
      name: name(2 * i),
      role: 'official',
      department,
    },
    {
      telegramUserId: FIRST_DEPARTMENT_ID + i * 10 + 1,
      handle: `head@${department}`,
      name: name(2 * i + 1),
      role: 'department_head',
      department,
    },
  ]);
  const staffDepartment = domain.departments.find((d) => d.kind === 'mcu')?.id ?? domain.departments[0]?.id ?? 'mcu';
  const chain = domain.sla.escalation.steps
    .map((s) => s.role)
    .filter((role, i, all) => !['department_head', 'official', 'operator'].includes(role) && all.indexOf(role) === i);
  for (const [j, role] of ['operator' as const, ...chain].entries()) {
    people.push({ telegramUserId: FIRST_STAFF_ID + j, handle: role, name: name(j + 5), role, department: staffDepartment });
  }
  return people;
}

/**
 * Binds every person as a real official would: an invite, then `/start <token>` from their Telegram
 * account through the emulator. People a previous run bound are reused. Resolves once all are bound
 * (or after a timeout, with a warning), so the first case's card finds its official.
 */
export async function onboardStaff(deps: StaffDeps, phones: readonly StaffPhone[], signal: AbortSignal): Promise<void> {
  const roster = phones.map((phone) => phone.person);
  const isBound = (rows: Awaited<ReturnType<StaffDeps['people']>>, p: SandboxPerson) =>
    rows.some(
      (r) =>
        r.active &&
        r.accounts.some((a) => a.channel === 'telegram' && a.userId === String(p.telegramUserId)) &&
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
    await phone.command(`/start ${token}`);
    deps.log.debug({ who: person.handle }, '🧪 sandbox official → bot: /start <invite>');
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
  deps.log.info(
    { people: roster.length, invited: fresh.length, reused: roster.length - fresh.length },
    '🧪 sandbox officials bound: an official and a head per department, an operator and the escalation chain',
  );
}
