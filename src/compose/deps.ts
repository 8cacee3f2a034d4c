import { type AnswerSettings, DEFAULT_QUALITY_RULES } from '../../handlers/answers/index.js';
import type { QueryDeps } from '../../handlers/cases/index.js';
import type { HandlerDeps } from '../../handlers/deps.js';
import type { DeadLetterDeps, IntakeDeps } from '../../handlers/intake/index.js';
import { createStructurer } from '../../handlers/structuring/index.js';
import { calendarMs } from '../../lib/deadlines/index.js';
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

/** The answers' settings: the «отписка» gate from the domain file, the poll delay (the sandbox drill's in the sandbox). */
export function answerSettings(rt: Runtime): AnswerSettings {
  const a = rt.domain.answers;
  return {
    holdForApproval: a?.holdForApproval ?? false,
    ...(rt.pollDelayMs === undefined ? {} : { pollDelayMs: rt.pollDelayMs }),
    rules: {
      minLength: a?.minLength ?? DEFAULT_QUALITY_RULES.minLength,
      stockPhrases: a?.stockPhrases ?? DEFAULT_QUALITY_RULES.stockPhrases,
    },
  };
}

/** What the bound features and the answer routes get: the handlers' deps and the answers' settings. */
export function featureDeps(rt: Runtime): HandlerDeps & AnswerSettings {
  return { ...handlerDeps(rt), ...answerSettings(rt) };
}

/** Intake and structuring: the SLA of a first response, the follow-up windows, the structurer. */
export function intakeDeps(rt: Runtime, queue: QueueService): IntakeDeps {
  const database = rt.database;
  if (!database) throw new Error('database not started');
  const social = rt.domain.sla.policies.social.find((p) => p.priority === 'normal' && !p.channels);
  const urgent = rt.domain.sla.policies.social.find((p) => p.priority === 'urgent' && !p.channels);
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
    settings: {
      followUpWindowMs: calendarMs(rt.domain.intake.followUpWindow),
      followUpChoiceTimeoutMs: calendarMs(rt.domain.intake.followUpChoiceTimeout),
      firstResponse: social?.firstResponse ?? '24h',
      ...(urgent ? { firstResponseUrgent: urgent.firstResponse } : {}),
      timeZone: rt.domain.city.timezone,
    },
  };
}

/** Dead letters: `sources` says which edge check a refused body is replayed through (the messengers' `replaySources()`). */
export function deadLetterDeps(rt: Runtime, sources: DeadLetterDeps['sources']): DeadLetterDeps {
  return { ...queryDeps(rt), sources, wake: () => rt.inbox?.wake() };
}
