/** An error that must reach the transport so the update is NOT acknowledged (e.g. storage down). */
export class RetryableUpdateError extends Error {
  override name = 'RetryableUpdateError';
}
