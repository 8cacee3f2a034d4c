import { bindAnswers } from '../../handlers/answers/index.js';
import { bindBroadcasts } from '../../handlers/broadcasts/index.js';
import { bindCases } from '../../handlers/cases/index.js';
import { bindCommands } from '../../handlers/commands/index.js';
import { bindPages } from '../../handlers/pages/index.js';
import { bindPeople } from '../../handlers/people/index.js';
import { bindPolls } from '../../handlers/polls/index.js';
import { bindPrivacy } from '../../handlers/privacy/index.js';
import { bindStaffBroadcasts } from '../../handlers/staff-broadcasts/index.js';
import { bindSubscriptions } from '../../handlers/subscriptions/index.js';
import { featureDeps } from './deps.js';
import type { Runtime } from './runtime.js';

/**
 * The feature APIs the bots call, each bound by its feature's bindX to one getter of the handlers'
 * deps. The getter runs on every call, so a bound API never holds a part that is not up (or no longer
 * is): until the database and the queue are ready it throws ServiceUnavailableError.
 */
export function featureApis(rt: Runtime) {
  const deps = () => featureDeps(rt);
  // The messengers this instance sends broadcasts on come through the runtime (MESSENGERS imports this file).
  const broadcasts = bindBroadcasts(deps, () => rt.broadcastSenders?.() ?? []);
  return {
    people: bindPeople(deps, rt.config.consoleUrl),
    commands: bindCommands(deps),
    cases: bindCases(deps),
    answers: bindAnswers(deps),
    polls: bindPolls(deps),
    subscriptions: bindSubscriptions(deps),
    privacy: bindPrivacy(deps),
    broadcasts,
    staffBroadcasts: bindStaffBroadcasts(deps, broadcasts),
    pages: bindPages(deps),
  };
}
