/** Errors with stable codes; transports map them to HTTP statuses or polite Russian replies. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus = 400,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'missing or invalid bearer token') {
    super('UNAUTHORIZED', message, 401);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} not found`, 404);
  }
}

export class ValidationError extends AppError {
  constructor(
    message: string,
    readonly issues: readonly string[] = [],
  ) {
    super('VALIDATION_FAILED', message, 400);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message: string) {
    super('UNAVAILABLE', message, 503);
  }
}
