import { describe, expect, it } from 'vitest';
import { CASE_STATUSES, canTransition } from '../../models/case-lifecycle.js';

describe('case lifecycle', () => {
  it.each([
    ['new', 'triage'],
    ['triage', 'assigned'],
    ['assigned', 'in_progress'],
    ['in_progress', 'interim_replied'],
    ['interim_replied', 'answered'],
    ['answered', 'closed'],
    ['answered', 'reopened'],
    ['closed', 'reopened'],
    ['reopened', 'in_progress'],
  ])('%s → %s is allowed', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it.each([
    ['new', 'closed'],
    ['triage', 'answered'],
    ['closed', 'in_progress'],
    ['answered', 'new'],
    ['unknown', 'triage'],
  ])('%s → %s is refused', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it('when any status is listed, then every target is itself a status and nothing moves to "new"', () => {
    for (const from of CASE_STATUSES) {
      for (const to of CASE_STATUSES) if (canTransition(from, to)) expect(to).not.toBe('new');
    }
    expect(CASE_STATUSES).toHaveLength(8);
  });
});
