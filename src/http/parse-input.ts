import type { z } from 'zod';
import { ValidationError } from '../errors.js';

/** Validates request input with zod; a failure is a 400 naming every bad field. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`);
    throw new ValidationError(issues.join('; '), issues);
  }
  return result.data;
}
