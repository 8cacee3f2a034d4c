import type { HandlerDeps } from '../deps.js';
import type { StructuringDeps } from '../structuring/structure-case.js';

/**
 * What ingest needs: the handlers' usual parts, and structuring (category, district, routing,
 * deadlines) as intake has it; without it every appeal's case goes to triage.
 */
export type IngestDeps = Pick<HandlerDeps, 'db' | 'jobs' | 'clock' | 'log' | 'domain'> & {
  structuring?: StructuringDeps;
};
