/** A use case's answer: the value, or why not — each refusal maps to one HTTP status and one chat reply. */
export type BroadcastOutcome<T> =
  | { status: 'ok'; value: T }
  /** 400: bad input, naming the field. */
  | { status: 'invalid'; code: string; message: string; field?: string }
  /** 403: the caller's role may not. */
  | { status: 'forbidden'; code: string; message: string }
  | { status: 'not_found'; code: 'NOT_FOUND'; message: string }
  /** 409: not in a state for this (started twice, not approved yet, no longer a draft). */
  | { status: 'conflict'; code: string; message: string }
  /** 422: the segment matches nobody. */
  | { status: 'empty'; code: 'EMPTY_SEGMENT'; message: string };

export type Refusal = Exclude<BroadcastOutcome<never>, { status: 'ok' }>;

export const ok = <T>(value: T): BroadcastOutcome<T> => ({ status: 'ok', value });
export const invalid = (code: string, message: string, field?: string): Refusal => ({
  status: 'invalid',
  code,
  message,
  ...(field !== undefined ? { field } : {}),
});
export const forbidden = (code: string, message: string): Refusal => ({ status: 'forbidden', code, message });
export const conflict = (code: string, message: string): Refusal => ({ status: 'conflict', code, message });
export const notFound = (id: number): Refusal => ({
  status: 'not_found',
  code: 'NOT_FOUND',
  message: `broadcast ${id} not found`,
});
