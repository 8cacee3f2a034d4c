import { bindAnswers } from '../../handlers/answers/index.js';
import { bindCases } from '../../handlers/cases/index.js';
import { bindCommands } from '../../handlers/commands/index.js';
import { bindPeople } from '../../handlers/people/index.js';
import { bindPolls } from '../../handlers/polls/index.js';
import { featureDeps } from './deps.js';
import type { Runtime } from './runtime.js';

/**
 * The feature APIs the bots call, each bound by its feature's bindX to one getter of the handlers'
 * deps. The getter runs on every call, so a bound API never holds a part that is not up (or no longer
 * is): until the database and the queue are ready it throws ServiceUnavailableError.
 */
export function featureApis(rt: Runtime) {
  const deps = () => featureDeps(rt);
  return {
    people: bindPeople(deps),
    commands: bindCommands(deps),
    cases: bindCases(deps),
    answers: bindAnswers(deps),
    polls: bindPolls(deps),
  };
}
