import type { Migration } from 'kysely';
import * as m0001 from './0001-foundation.js';
import * as m0002 from './0002-intake.js';
import * as m0003 from './0003-structuring.js';
import * as m0004 from './0004-deadlines.js';
import * as m0005 from './0005-people.js';
import * as m0006 from './0006-answers.js';
import * as m0007 from './0007-polls.js';
import * as m0008 from './0008-reminders.js';
import * as m0009 from './0009-official-drafts.js';
import * as m0010 from './0010-case-actions.js';
import * as m0011 from './0011-poll-comment.js';
import * as m0012 from './0012-digest.js';
import * as m0013 from './0013-answer-photos.js';
import * as m0014 from './0014-api-tokens.js';
import * as m0015 from './0015-event-ledger-pruning.js';
import * as m0016 from './0016-database-mode.js';
import * as m0017 from './0017-inbox.js';
import * as m0018 from './0018-follow-up-choice.js';
import * as m0019 from './0019-unprocessed-index.js';
import * as m0020 from './0020-inbox-lease.js';
import * as m0021 from './0021-not-problem-reason.js';
import * as m0022 from './0022-intent-question.js';
import * as m0023 from './0023-staff-accounts.js';
import * as m0024 from './0024-external-appeals.js';
import * as m0025 from './0025-analytics.js';
import * as m0026 from './0026-weekly-report.js';
import * as m0027 from './0027-recommendations.js';
import * as m0028 from './0028-case-facts.js';
import * as m0029 from './0029-broadcasts.js';
import * as m0030 from './0030-broadcast-audience.js';
import * as m0031 from './0031-console-sessions.js';
import * as m0032 from './0032-broadcast-not-started.js';
import * as m0033 from './0033-console-reads.js';
import * as m0034 from './0034-official-pages.js';
import * as m0036 from './0036-provisional-deadlines.js';
import * as m0037 from './0037-personal-data.js';

/**
 * Every migration, in order. Listed by hand (not read from disk) so the compiled build, the
 * tests and the Docker image all see the same set; names never change once released.
 */
export const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-intake': m0002,
  '0003-structuring': m0003,
  '0004-deadlines': m0004,
  '0005-people': m0005,
  '0006-answers': m0006,
  '0007-polls': m0007,
  '0008-reminders': m0008,
  '0009-official-drafts': m0009,
  '0010-case-actions': m0010,
  '0011-poll-comment': m0011,
  '0012-digest': m0012,
  '0013-answer-photos': m0013,
  '0014-api-tokens': m0014,
  '0015-event-ledger-pruning': m0015,
  '0016-database-mode': m0016,
  '0017-inbox': m0017,
  '0018-follow-up-choice': m0018,
  '0019-unprocessed-index': m0019,
  '0020-inbox-lease': m0020,
  '0021-not-problem-reason': m0021,
  '0022-intent-question': m0022,
  '0023-staff-accounts': m0023,
  '0024-external-appeals': m0024,
  '0025-analytics': m0025,
  '0026-weekly-report': m0026,
  '0027-recommendations': m0027,
  '0028-case-facts': m0028,
  '0029-broadcasts': m0029,
  '0030-broadcast-audience': m0030,
  '0031-console-sessions': m0031,
  '0032-broadcast-not-started': m0032,
  '0033-console-reads': m0033,
  '0034-official-pages': m0034,
  '0036-provisional-deadlines': m0036,
  '0037-personal-data': m0037,
};
