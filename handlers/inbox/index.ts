export { type Arrival, acceptEvents, acceptFrom, type EdgeOutcome, rawBody } from './accept.js';
export { clean, makeStorable, parseStorable, rawOfUnstorable, type Storable } from './storable.js';
export { type Decider, errorText, InboxWorker, type InboxWorkerOptions, isTransient } from './worker.js';
