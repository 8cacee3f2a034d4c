import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type CoverageCalendar, calendarCoverage, parseDuration, TimeZone } from '../../../../lib/deadlines/index.js';
import { AppError } from '../../../errors.js';
import { requireAction } from '../../../http/principal.js';
import type { ConsoleDeps } from '../../deps.js';
import { parseForm } from '../../form.js';
import { renderPage } from '../../render.js';
import { settingsSource } from './settings-source.js';

const blank = (v: unknown) => (v === '' ? undefined : v);
const query = z.object({ q: z.preprocess(blank, z.string().trim().max(100).optional()) });

const UNITS: Record<string, string> = { wh: 'раб. ч', wd: 'раб. дн.', d: 'дн.', h: 'ч', m: 'мин' };
const KINDS: Record<string, string> = {
  committee: 'комитет',
  department: 'управление, отдел',
  district_administration: 'администрация района',
  mcu: 'МЦУ',
  subordinate: 'подведомственное учреждение',
  external: 'внешний ответственный',
};
const REGIMES: Record<string, string> = {
  social: 'Соцсети и бот',
  pos: 'ПОС «Госуслуги. Решаем вместе»',
  appeal_59fz: 'Обращения по 59-ФЗ',
};

/** «7wd» → «7 раб. дн. (7wd)»: what the file says, and how staff read it. */
function duration(text: string | undefined): string {
  if (!text) return '—';
  try {
    const { amount, unit } = parseDuration(text);
    return `${amount} ${UNITS[unit] ?? unit} (${text})`;
  } catch {
    return text;
  }
}

/**
 * The calendar the app runs on; before the database and queue are up (the handlers' deps answer 503),
 * the years of the files the page read, which are the same files.
 */
function runningCalendar(deps: ConsoleDeps, loaded: ReadonlySet<number>): CoverageCalendar {
  try {
    return deps.actions().calendar;
  } catch {
    const zone = new TimeZone(deps.domain.city.timezone);
    return { knowsYear: (y) => loaded.has(y), localDateOf: (t) => zone.dateAt(typeof t === 'number' ? t : t.getTime()) };
  }
}

/**
 * Настройки (read-only): the domain file's departments, categories and SLA policies as the app runs
 * them, each with the file:line it comes from, and the production-calendar years loaded. Changes
 * are made in the file (docs/operations/domain-file.md) and take effect on restart.
 */
export function settingsPages(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get('/settings', async (request, reply) => {
    requireAction(request, 'cases:all');
    const parsed = parseForm(query, request.query);
    if (!parsed.ok) throw new AppError('VALIDATION_FAILED', 'invalid filter', 400);
    const q = parsed.data.q?.toLocaleLowerCase('ru');
    const matches = (...texts: (string | undefined)[]) => !q || texts.some((t) => t?.toLocaleLowerCase('ru').includes(q));
    const source = await settingsSource(deps.domainPath, deps.domain, deps.calendarFiles);
    const { domain } = deps;
    const departmentName = new Map(domain.departments.map((d) => [d.id, d.name]));
    const roles = domain.roles as Record<string, string>;
    const loaded = new Set(source.calendars.flatMap((c) => c.years.map((y) => y.year)));
    const coverage = calendarCoverage(runningCalendar(deps, loaded), deps.clock.now());
    return renderPage(reply, request, deps, 'settings', {
      title: 'Настройки',
      section: 'settings',
      filters: parsed.data,
      source,
      departments: domain.departments
        .filter((d) => matches(d.id, d.name, d.shortName))
        .map((d) => ({
          id: d.id,
          name: d.name,
          kind: KINDS[d.kind] ?? d.kind,
          parent: d.parent ? (departmentName.get(d.parent) ?? d.parent) : null,
          line: source.departments.get(d.id) ?? null,
        })),
      categories: domain.categories
        .filter((c) => matches(c.id, c.name))
        .map((c) => ({
          id: c.id,
          name: c.name,
          department: departmentName.get(c.department) ?? c.department,
          line: source.categories.get(c.id) ?? null,
        })),
      policies: Object.entries(domain.sla.policies).flatMap(([regime, list]) =>
        list.map((p, i) => ({
          regime: REGIMES[regime] ?? regime,
          priority: p.priority === 'urgent' ? 'срочные' : 'обычные',
          channels: p.channels?.join(', ') ?? 'любые',
          firstResponse: duration(p.firstResponse),
          finalResponse: duration(p.finalResponse),
          maxExtension: duration(p.maxExtension),
          line: source.policies.get(regime)?.[i] ?? null,
        })),
      ),
      reminders: domain.sla.reminders.before.map((p) => `${p} %`).join(', '),
      escalation: domain.sla.escalation.steps.map((s, i) => ({
        role: roles[s.role] ?? s.role,
        after: duration(s.after),
        line: source.escalation[i] ?? null,
      })),
      quietHours: `${domain.sla.quietHours.start}–${domain.sla.quietHours.end}`,
      // This year always, next year from 1 October (lib/deadlines/calendar-coverage.ts): as /health/ready.
      calendarCoverage: coverage,
      calendarYears: [...loaded],
    });
  });
}
