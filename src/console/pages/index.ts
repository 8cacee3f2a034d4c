import type { FastifyInstance } from 'fastify';
import type { ConsoleDeps } from '../deps.js';
import { adminPages } from './admin.js';
import { analyticsPages } from './analytics.js';
import { broadcastsPages } from './broadcasts.js';
import { casePages } from './case.js';
import { casesPages } from './cases.js';
import { decisionsPages } from './decisions.js';
import { loginPages } from './login.js';
import { officialPagesPages } from './official-pages.js';
import { overduePages } from './overdue.js';
import { triagePages } from './triage.js';

/** One function per section registers its routes (paths relative to /console). */
export type ConsolePage = (app: FastifyInstance, deps: ConsoleDeps) => void;

export const CONSOLE_PAGES: readonly ConsolePage[] = [
  loginPages,
  triagePages,
  casesPages,
  casePages,
  overduePages,
  decisionsPages,
  analyticsPages,
  broadcastsPages,
  officialPagesPages,
  adminPages,
];
