import type { Channel } from '../../models/intake.js';
import type { HandlerDeps } from '../deps.js';
import { type ForgetOutcome, forgetCitizen } from './forget.js';

export { type AnonymisedCounts, type AnonymiseReason, anonymiseInTx } from './anonymise.js';
export { type CitizenExport, exportCitizen, findCitizens } from './export.js';
export { CONSENT_WITHDRAWN_NOTE, type ForgetDeps, type ForgetOutcome, type ForgetWho, forgetCitizen } from './forget.js';
export {
  anonymiseExpired,
  monthsBefore,
  type RetentionReport,
  type RetentionSettings,
  retentionSettingsFor,
} from './retention.js';

/** What the bots call: /forget, confirmed (docs/operations/personal-data.md#forget). */
export interface PrivacyApi {
  forget(sender: { channel: Channel; externalId: string }): Promise<ForgetOutcome>;
}

/** Binds /forget; `deps` is called on every use (the database may not be up yet). */
export function bindPrivacy(deps: () => HandlerDeps): PrivacyApi {
  return {
    forget: (sender) => forgetCitizen(deps(), { sender, via: 'forget' }),
  };
}
