import { type AlertView, acknowledgeAlert, listAlerts, listProblems, type ProblemView } from '../../models/problem-query.js';
import type { HandlerDeps } from '../deps.js';

export type { AlertView, ProblemView };

export function problems(
  deps: Pick<HandlerDeps, 'db'>,
  filters: { status?: string; category?: string; district?: string; limit: number },
) {
  return listProblems(deps.db, filters);
}

export function alerts(deps: Pick<HandlerDeps, 'db'>, filters: { open?: boolean; limit: number }) {
  return listAlerts(deps.db, filters);
}

export function ackAlert(deps: Pick<HandlerDeps, 'db' | 'clock'>, id: number): Promise<boolean> {
  return acknowledgeAlert(deps.db, id, deps.clock.now());
}
