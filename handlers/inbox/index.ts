export { type Arrival, acceptEvents, acceptFrom, type EdgeOutcome, rawBody } from './accept.js';
export { type DeadLetterDeps, deadLetters, type ReplayOutcome, type ReplaySource, replayDeadLetter } from './dead-letters.js';
export { clean, makeStorable, parseStorable, type Storable } from './storable.js';
export { type Decider, errorText, InboxWorker, type InboxWorkerOptions, isTransient } from './worker.js';
