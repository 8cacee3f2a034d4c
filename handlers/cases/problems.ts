import type { Clock } from '../../lib/clock.js';
import type { Db } from '../../models/database.js';
import { type AlertView, acknowledgeAlert, listAlerts, listProblems, type ProblemView } from '../../models/problem-query.js';

export type { AlertView, ProblemView };

export function problems(deps: { db: Db }, filters: { status?: string; category?: string; district?: string; limit: number }) {
  return listProblems(deps.db, filters);
}

export function alerts(deps: { db: Db }, filters: { open?: boolean; limit: number }) {
  return listAlerts(deps.db, filters);
}

export function ackAlert(deps: { db: Db; clock: Clock }, id: number): Promise<boolean> {
  return acknowledgeAlert(deps.db, id, deps.clock.now());
}
