import { checkTelegramUpdate } from '../../bots/telegram/edge.js';
import { checkVkEvent } from '../../bots/vk/edge.js';
import type { answerCase } from '../../handlers/answers/answer-case.js';
import { DEFAULT_QUALITY_RULES } from '../../handlers/answers/quality-gate.js';
import type { CaseActionDeps } from '../../handlers/cases/deps.js';
import type { DeadLetterDeps } from '../../handlers/intake/dead-letters.js';
import type { IntakeDeps } from '../../handlers/intake/index.js';
import type { PollDeps } from '../../handlers/polls/index.js';
import { createStructurer } from '../../handlers/structuring/assess.js';
import type { Clock } from '../../lib/clock.js';
import { calendarMs } from '../../lib/deadlines/index.js';
import type { Db } from '../../models/database.js';
import { ServiceUnavailableError } from '../errors.js';
import type { QueueService } from '../jobs/queue.js';
import type { Runtime } from './runtime.js';

/** What read/write API routes need; 503 until the database is up. */
export function queryDeps(rt: Runtime): { db: Db; clock: Clock } {
  const database = rt.database;
  if (!database || rt.dbState !== 'ok') throw new ServiceUnavailableError('database is not ready');
  return { db: database.db, clock: rt.clock };
}

function readyQueue(rt: Runtime): QueueService {
  if (!rt.queue) throw new ServiceUnavailableError('queue is not ready');
  return rt.queue;
}

/** What extending, pausing, re-routing and merging cases need. */
export function actionDeps(rt: Runtime): CaseActionDeps {
  const jobs = readyQueue(rt);
  return { ...queryDeps(rt), jobs, domain: rt.domain, calendar: rt.calendar };
}

export type AnswerDeps = Parameters<typeof answerCase>[0] & { actions: CaseActionDeps };

export function answerDeps(rt: Runtime): AnswerDeps {
  const jobs = readyQueue(rt);
  const a = rt.domain.answers;
  return {
    ...queryDeps(rt),
    actions: actionDeps(rt),
    jobs,
    holdForApproval: a?.holdForApproval ?? false,
    ...(rt.pollDelayMs === undefined ? {} : { pollDelayMs: rt.pollDelayMs }),
    rules: {
      minLength: a?.minLength ?? DEFAULT_QUALITY_RULES.minLength,
      stockPhrases: a?.stockPhrases ?? DEFAULT_QUALITY_RULES.stockPhrases,
    },
  };
}

export function pollDeps(rt: Runtime): PollDeps {
  const jobs = readyQueue(rt);
  return { ...queryDeps(rt), jobs, log: rt.log.child({ part: 'polls' }) };
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

/** Dead letters: which edge check a refused body is replayed through, by its source. */
export function deadLetterDeps(rt: Runtime): DeadLetterDeps {
  const telegram = { channel: 'telegram', check: checkTelegramUpdate };
  const vk = { channel: 'vk', check: checkVkEvent };
  return {
    ...queryDeps(rt),
    sources: { 'telegram-webhook': telegram, 'telegram-poll': telegram, 'vk-callback': vk, 'vk-longpoll': vk },
    wake: () => rt.inbox?.wake(),
  };
}
