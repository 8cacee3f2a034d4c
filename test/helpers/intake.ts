import { loadProductionCalendar } from '../../config/calendar.js';
import type { DomainConfig } from '../../config/domain.js';
import type { IntakeDeps } from '../../handlers/intake/index.js';
import type { Structurer } from '../../handlers/structuring/index.js';
import type { Clock } from '../../lib/clock.js';
import { WorkingCalendar } from '../../lib/deadlines/index.js';
import type { Db, Tx } from '../../models/database.js';
import type { IncomingMessage } from '../../models/intake.js';
import type { JobQueue } from '../../models/jobs.js';
import { createLogger } from '../../src/logger.js';
import { incomingMessage } from './payloads.js';

/** Intake's deps for handler tests: Barnaul's calendar, a 24 h follow-up window, a 5 min choice timeout. */
export function barnaulIntakeDeps(
  db: Db,
  clock: Clock,
  jobs: JobQueue<Tx>,
  domain: DomainConfig,
  structurer: Structurer,
): IntakeDeps {
  return {
    db,
    jobs,
    clock,
    log: createLogger({ level: 'silent' }),
    settings: { followUpWindowMs: 86_400_000, followUpChoiceTimeoutMs: 300_000, firstResponse: '9wh', timeZone: 'Asia/Barnaul' },
    structuring: {
      domain,
      structurer,
      calendar: WorkingCalendar.forCity(domain.city, loadProductionCalendar(['config/production-calendar.json'])),
    },
  };
}

/** Builds private Telegram messages from citizens (the chat id is the citizen's id), numbered per `prefix`. */
export function privateMessages(prefix: string) {
  let seq = 0;
  return (citizen: number, text: string, attachments: IncomingMessage['attachments'] = []): IncomingMessage => {
    const id = ++seq;
    return incomingMessage({
      eventId: `${prefix}${id}`,
      source: { externalId: String(citizen), kind: 'private', official: false },
      externalId: String(id),
      author: { externalId: String(citizen), displayName: 'Житель' },
      text,
      attachments,
      platformIds: { update_id: id, chat_id: citizen, message_id: id },
      platformAt: new Date('2026-12-01T03:00:00Z'),
    });
  };
}
