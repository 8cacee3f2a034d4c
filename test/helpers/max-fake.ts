/**
 * The MAX Bot API fake and its update builders. They live in src/sandbox/ (the sandbox runs MAX
 * against the same fake) and are re-exported here for the tests, since src/ cannot import test/.
 */
export { MaxApiFake, type MaxFault, type MaxSent } from '../../src/sandbox/max-fake.js';
export { type MaxChatType, type MaxPerson, maxMessage, maxUpdates, maxUser, newMid } from '../../src/sandbox/max-updates.js';
