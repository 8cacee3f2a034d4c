import { type AnswerSettings, answerSettingsFor } from '../../handlers/answers/index.js';
import type { QueryDeps } from '../../handlers/cases/index.js';
import type { HandlerDeps } from '../../handlers/deps.js';
import { type DeadLetterDeps, type IntakeDeps, intakeSettingsFor } from '../../handlers/intake/index.js';
import { createStructurer } from '../../handlers/structuring/index.js';
import { ServiceUnavailableError } from '../errors.js';
import type { QueueService } from '../jobs/queue.js';
import type { Runtime } from './runtime.js';

/** What read/write API routes need; 503 until the database is up (the queue may still be starting). */
export function queryDeps(rt: Runtime): QueryDeps {
  const database = rt.database;
  if (!database || rt.dbState !== 'ok') throw new ServiceUnavailableError('database is not ready');
  return { db: database.db, clock: rt.clock };
}

function readyQueue(rt: Runtime): QueueService {
  if (!rt.queue) throw new ServiceUnavailableError('queue is not ready');
  return rt.queue;
}

/**
 * The one shape every use case takes a part of (handlers/deps.ts): the features' bindX calls it on
 * every use and the workers on every job; 503 until the database and the queue are up.
 */
export function handlerDeps(rt: Runtime): HandlerDeps {
  const jobs = readyQueue(rt);
  return { ...queryDeps(rt), jobs, calendar: rt.calendar, domain: rt.domain, log: rt.log };
}

/** The answers' settings: the domain file's, with the poll delay (the sandbox drill's in the sandbox). */
export function answerSettings(rt: Runtime): AnswerSettings {
  return answerSettingsFor(rt.domain, rt.pollDelayMs);
}

/** What the bound features and the answer routes get: the handlers' deps and the answers' settings. */
export function featureDeps(rt: Runtime): HandlerDeps & AnswerSettings {
  return { ...handlerDeps(rt), ...answerSettings(rt) };
}

/** Intake and structuring: the domain's intake settings and the structurer. */
export function intakeDeps(rt: Runtime, queue: QueueService): IntakeDeps {
  const database = rt.database;
  if (!database) throw new Error('database not started');
  return {
    db: database.db,
    jobs: queue,
    clock: rt.clock,
    log: rt.log.child({ part: 'intake' }),
    structuring: {
      domain: rt.domain,
      structurer: createStructurer(rt.domain, rt.predictor, rt.boundaries, rt.intentScorer),
      calendar: rt.calendar,
    },
    settings: intakeSettingsFor(rt.domain),
  };
}

/** Dead letters: `sources` says which edge check a refused body is replayed through (the messengers' `replaySources()`). */
export function deadLetterDeps(rt: Runtime, sources: DeadLetterDeps['sources']): DeadLetterDeps {
  return { ...queryDeps(rt), sources, wake: () => rt.inbox?.wake() };
}
