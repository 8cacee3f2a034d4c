// The reminders feature as the composition root, the workers and the bots see it. It has no bot-facing
// API: its use cases run as jobs (remind, notify-official, morning-digest, send-digest).

export { deliverToPerson, deliverToPersonAt, type PersonDelivery, type PersonDeliveryDeps } from './deliver-to-person.js';
export { type Digest, type DigestCase, digestScope } from './digest-content.js';
export { digestCron, type MorningDigestDeps, type MorningDigestOutcome, planMorningDigest } from './morning-digest.js';
export { type NotifyOfficialPayload, notifyOfficial } from './notify-official.js';
export { quietHoursEnd, type RemindDeps, remind } from './reminders.js';
export { type SendDigestDeps, type SendDigestOutcome, sendDigest } from './send-digest.js';
