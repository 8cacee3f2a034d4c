import type { FastifyRequest } from 'fastify';
import type { Role } from '../../config/domain.js';
import { broadcastSettings } from '../../handlers/broadcasts/index.js';
import type { Action } from '../../handlers/people/index.js';
import { can } from './auth.js';
import type { ConsoleDeps } from './deps.js';

/** The console's sections, in the menu's order; a section shows to whom its check allows (and its routes check the same). */
export interface NavItem {
  key: string;
  href: string;
  label: string;
  /** An action of the people table, or a check of its own (broadcasts: the domain file's roles). */
  allowed: Action | ((request: FastifyRequest, deps: ConsoleDeps) => boolean);
}

/** Broadcasts: their authors and approvers, as the domain file's `broadcasts:` names them. */
export function broadcastsVisible(request: FastifyRequest, deps: ConsoleDeps): boolean {
  const person = request.console?.person;
  if (!person?.active) return false;
  const s = broadcastSettings(deps.domain);
  return s.authorRoles.includes(person.role as Role) || s.approval.roles.includes(person.role as Role);
}

/**
 * Recommendations: every staff role but the department's officials — the page's own rule
 * (pages/analytics/recommendations.ts `mayView`: all of them for МЦУ staff, a department head their own).
 */
export function recommendationsVisible(request: FastifyRequest): boolean {
  const person = request.console?.person;
  return Boolean(person?.active) && person?.role !== 'official';
}

export const NAV: readonly NavItem[] = [
  { key: 'triage', href: '/console/triage', label: 'Разбор', allowed: 'triage' },
  { key: 'cases', href: '/console/cases', label: 'Обращения', allowed: 'cases:own-department' },
  { key: 'overdue', href: '/console/overdue', label: 'Сроки', allowed: 'cases:own-department' },
  { key: 'decisions', href: '/console/decisions', label: 'Решения', allowed: 'triage' },
  { key: 'ratings', href: '/console/ratings', label: 'Рейтинги', allowed: 'cases:own-department' },
  { key: 'problems', href: '/console/problems', label: 'Проблемы', allowed: 'cases:all' },
  { key: 'heatmap', href: '/console/heatmap', label: 'Карта', allowed: 'cases:all' },
  { key: 'recommendations', href: '/console/recommendations', label: 'Рекомендации', allowed: recommendationsVisible },
  { key: 'broadcasts', href: '/console/broadcasts', label: 'Рассылки', allowed: broadcastsVisible },
  // A department's staff see their department's pages; `cases:all` every page (handlers/pages/caller.ts).
  { key: 'pages', href: '/console/pages', label: 'Страницы', allowed: 'cases:own-department' },
  { key: 'sources', href: '/console/sources', label: 'Источники', allowed: 'triage' },
  { key: 'people', href: '/console/people', label: 'Сотрудники', allowed: 'people:manage' },
  { key: 'settings', href: '/console/settings', label: 'Настройки', allowed: 'cases:all' },
];

export function navAllowed(item: NavItem, request: FastifyRequest, deps: ConsoleDeps): boolean {
  return typeof item.allowed === 'string' ? can(request, item.allowed) : item.allowed(request, deps);
}

/** The sections the signed-in person sees. */
export function navFor(request: FastifyRequest, deps: ConsoleDeps): NavItem[] {
  return NAV.filter((item) => navAllowed(item, request, deps));
}
