/** A registry use case's answer: the value, or why not — each refusal maps to one HTTP status and one chat reply. */
export type PageOutcome<T> =
  | { status: 'ok'; value: T }
  /** 400: bad input, naming the field (a link that is no page, an unknown department or official). */
  | { status: 'invalid'; code: string; message: string; field?: string }
  /** 403: the caller's role may not (or the page is another department's). */
  | { status: 'forbidden'; code: 'FORBIDDEN'; message: string }
  | { status: 'not_found'; code: 'NOT_FOUND'; message: string }
  /** 409: the page is registered already (the same platform and id, whatever the case). */
  | { status: 'conflict'; code: 'PAGE_EXISTS'; message: string; existingId: number };

export type PageRefusal = Exclude<PageOutcome<never>, { status: 'ok' }>;

export const ok = <T>(value: T): PageOutcome<T> => ({ status: 'ok', value });
export const invalid = (code: string, message: string, field?: string): PageRefusal => ({
  status: 'invalid',
  code,
  message,
  ...(field !== undefined ? { field } : {}),
});
export const forbidden = (message: string): PageRefusal => ({ status: 'forbidden', code: 'FORBIDDEN', message });
export const notFound = (id: number): PageRefusal => ({
  status: 'not_found',
  code: 'NOT_FOUND',
  message: `page ${id} not found`,
});
export const exists = (existingId: number, what: string): PageRefusal => ({
  status: 'conflict',
  code: 'PAGE_EXISTS',
  message: `${what} is registered already as page ${existingId}`,
  existingId,
});
