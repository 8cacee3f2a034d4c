import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../lib/clock.js';
import { KeyedTokenBuckets } from '../../lib/token-bucket.js';

describe('KeyedTokenBuckets', () => {
  it('when a key takes its burst, then the next take is refused with the wait until one token is back', () => {
    const clock = new ManualClock('2026-03-02T09:00:00Z');
    const buckets = new KeyedTokenBuckets({ perSecond: 2, burst: 3 }, clock);
    for (let i = 0; i < 3; i++) expect(buckets.take('a')).toEqual({ ok: true });
    expect(buckets.take('a')).toEqual({ ok: false, retryAfterMs: 500 });
    clock.advance(200);
    expect(buckets.take('a')).toEqual({ ok: false, retryAfterMs: 300 });
    clock.advance(300);
    expect(buckets.take('a')).toEqual({ ok: true });
    expect(buckets.take('a')).toEqual({ ok: false, retryAfterMs: 500 });
  });

  it('when one key is exhausted, then another key still has its whole burst', () => {
    const clock = new ManualClock('2026-03-02T09:00:00Z');
    const buckets = new KeyedTokenBuckets({ perSecond: 1, burst: 2 }, clock);
    buckets.take('a');
    buckets.take('a');
    expect(buckets.take('a').ok).toBe(false);
    expect(buckets.take('b')).toEqual({ ok: true });
    expect(buckets.take('b')).toEqual({ ok: true });
  });

  it('when a key is only checked, then no token is taken; when empty, the check says how long to wait', () => {
    const clock = new ManualClock('2026-03-02T09:00:00Z');
    const buckets = new KeyedTokenBuckets({ perSecond: 10 / 60, burst: 10 }, clock);
    for (let i = 0; i < 5; i++) expect(buckets.check('ip')).toEqual({ ok: true });
    expect(buckets.size).toBe(0);
    for (let i = 0; i < 10; i++) buckets.take('ip');
    expect(buckets.check('ip')).toEqual({ ok: false, retryAfterMs: 6000 });
    clock.advance(6000);
    expect(buckets.check('ip')).toEqual({ ok: true });
  });

  it('when a long time passes, then the bucket is full again but never above its burst', () => {
    const clock = new ManualClock('2026-03-02T09:00:00Z');
    const buckets = new KeyedTokenBuckets({ perSecond: 1, burst: 2 }, clock);
    buckets.take('a');
    clock.advance(3_600_000);
    expect(buckets.take('a').ok).toBe(true);
    expect(buckets.take('a').ok).toBe(true);
    expect(buckets.take('a').ok).toBe(false);
  });

  it('when keys go idle long enough to be full again, then they are dropped from memory', () => {
    const clock = new ManualClock('2026-03-02T09:00:00Z');
    const buckets = new KeyedTokenBuckets({ perSecond: 1, burst: 5 }, clock);
    for (let i = 0; i < 100; i++) buckets.take(`k${i}`);
    expect(buckets.size).toBe(100);
    clock.advance(4_000);
    buckets.take('fresh');
    expect(buckets.size).toBe(101);
    clock.advance(1_000);
    buckets.take('fresh');
    // The 100 are full again (5 s at 1/s after one take): forgotten; only the key in use is held.
    expect(buckets.size).toBe(1);
  });

  it('when more keys arrive than maxKeys, then the least recently used is forgotten first', () => {
    const clock = new ManualClock('2026-03-02T09:00:00Z');
    const buckets = new KeyedTokenBuckets({ perSecond: 1, burst: 1 }, clock, { maxKeys: 3 });
    buckets.take('a');
    buckets.take('b');
    buckets.take('c');
    expect(buckets.take('a').ok).toBe(false); // touches a: b is now the oldest
    buckets.take('d');
    expect(buckets.size).toBe(3);
    // b was forgotten, so it starts full; a was kept, so it is still empty.
    expect(buckets.take('b').ok).toBe(true);
    expect(buckets.take('a').ok).toBe(false);
  });

  it('when the rate is not positive, then the buckets refuse to be made', () => {
    const clock = new ManualClock('2026-03-02T09:00:00Z');
    expect(() => new KeyedTokenBuckets({ perSecond: 0, burst: 1 }, clock)).toThrow();
    expect(() => new KeyedTokenBuckets({ perSecond: 1, burst: 0 }, clock)).toThrow();
  });
});
