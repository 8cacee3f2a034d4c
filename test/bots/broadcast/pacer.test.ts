import { describe, expect, it } from 'vitest';
import { type KeyGap, type Lane, Pacer } from '../../../lib/pacer.js';
import { FakeTime } from './fake-time.js';

function pacer(time: FakeTime, perSecond = 30, margin?: number): Pacer {
  return new Pacer({ perSecond, now: time.now, sleep: time.sleep, ...(margin ? { margin } : {}) });
}

/** Queues a take and records the fake time it was granted at. */
function track(p: Pacer, time: FakeTime, lane: Lane, gap?: KeyGap) {
  const entry = { lane, at: Number.NaN };
  void p.take(lane, gap).then(() => {
    entry.at = time.t;
  });
  return entry;
}

/** The most grants in any window of `windowMs` (half-open, as a sliding-window counter sees them). */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while ((sorted[j] as number) - (sorted[i] as number) >= windowMs) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

describe('Pacer', () => {
  it('when 600 bulk sends wait, then they go evenly at 0.95 × the published rate, never above it in any second', async () => {
    const time = new FakeTime();
    const p = pacer(time, 30);
    const sends = Array.from({ length: 600 }, () => track(p, time, 'bulk'));
    await time.advance(25_000);
    const times = sends.map((s) => s.at);
    expect(times.every(Number.isFinite)).toBe(true);
    // 600 sends at 28.5/s take 21 s; at the published 30/s they would take 20 s.
    expect(Math.max(...times)).toBeGreaterThan(20_000);
    expect(Math.max(...times)).toBeLessThan(21_100);
    expect(busiestWindow(times, 1000)).toBeLessThanOrEqual(29);
    expect(p.stats().granted.bulk).toBe(600);
  });

  it('when a token comes late (a slow timer), then the next sends are not pushed back: the long-run rate holds', async () => {
    const time = new FakeTime();
    // A sleep that wakes 10 ms late every time (a busy event loop).
    const late = new Pacer({ perSecond: 20, now: time.now, sleep: (ms) => time.sleep(ms + 10) });
    const sends = Array.from({ length: 190 }, () => track(late, time, 'bulk'));
    await time.advance(12_000);
    const last = Math.max(...sends.map((s) => s.at));
    // 190 sends at 19/s: 10 s; a gate that restarted its spacing at each late wake would need ≈ 11.9 s.
    expect(last).toBeLessThan(10_100);
    expect(
      busiestWindow(
        sends.map((s) => s.at),
        1000,
      ),
    ).toBeLessThanOrEqual(20);
  });

  it('when a priority send comes behind 1,000 bulk sends, then it waits at most one token', async () => {
    const time = new FakeTime();
    const p = pacer(time, 30);
    const bulk = Array.from({ length: 1000 }, () => track(p, time, 'bulk'));
    await time.advance(2_000);
    const asked = time.t;
    const ack = track(p, time, 'priority');
    await time.advance(100);
    expect(ack.at - asked).toBeLessThanOrEqual(1000 / (30 * 0.95));
    // It took a bulk send's token, not an extra one: the rate overall is unchanged.
    const granted = [...bulk.map((s) => s.at), ack.at].filter(Number.isFinite);
    expect(busiestWindow(granted, 1000)).toBeLessThanOrEqual(29);
  });

  it('when lanes wait together, then priority goes first, then emergency, then bulk', async () => {
    const time = new FakeTime();
    const p = pacer(time, 10);
    // The first take is granted at once; the rest queue behind it.
    const first = track(p, time, 'bulk');
    const bulk = [track(p, time, 'bulk'), track(p, time, 'bulk')];
    const emergency = [track(p, time, 'emergency'), track(p, time, 'emergency')];
    const priority = track(p, time, 'priority');
    await time.advance(2_000);
    const order = [first, ...bulk, ...emergency, priority].sort((a, b) => a.at - b.at).map((s) => s.lane);
    expect(order).toEqual(['bulk', 'priority', 'emergency', 'emergency', 'bulk', 'bulk']);
  });

  it('when two sends go to one chat, then the second waits the chat gap (with the margin) and other chats are not held behind it', async () => {
    const time = new FakeTime();
    const p = pacer(time, 30);
    const chat = { key: 'chat:1', gapMs: 1000 };
    const part1 = track(p, time, 'bulk', chat);
    const part2 = track(p, time, 'bulk', chat);
    const others = Array.from({ length: 10 }, (_, i) => track(p, time, 'bulk', { key: `chat:${i + 2}`, gapMs: 1000 }));
    await time.advance(3_000);
    expect(part2.at - part1.at).toBeGreaterThanOrEqual(1000 / 0.95);
    // The ten other chats went in the meantime, one token apart.
    expect(Math.max(...others.map((s) => s.at))).toBeLessThan(part2.at);
  });

  it('when a group gets broadcast messages, then they are 3 s apart (20 a minute) and a minute never holds more than 20', async () => {
    const time = new FakeTime();
    const p = pacer(time, 30);
    const group = { key: 'chat:-100', gapMs: 60_000 / 20 };
    const sends = Array.from({ length: 25 }, () => track(p, time, 'bulk', group));
    await time.advance(90_000);
    const times = sends.map((s) => s.at);
    expect(busiestWindow(times, 60_000)).toBeLessThanOrEqual(19);
  });

  it('when a priority send goes to a chat, then it does not wait for the chat gap, but a broadcast to that chat waits for it', async () => {
    const time = new FakeTime();
    const p = pacer(time, 30);
    const chat = { key: 'chat:7', gapMs: 1000 };
    const broadcast = track(p, time, 'bulk', chat);
    await time.advance(50);
    const ack = track(p, time, 'priority', chat);
    const next = track(p, time, 'bulk', chat);
    await time.advance(3_000);
    expect(ack.at - broadcast.at).toBeLessThan(100);
    expect(next.at - ack.at).toBeGreaterThanOrEqual(1000 / 0.95);
  });

  it('when the platform answers 429 with retry_after, then pauseAll holds every lane, priority too, until it has passed', async () => {
    const time = new FakeTime();
    const p = pacer(time, 30);
    const before = Array.from({ length: 5 }, () => track(p, time, 'bulk'));
    await time.advance(500);
    p.pauseAll(3);
    const pausedAt = time.t;
    const bulk = Array.from({ length: 5 }, () => track(p, time, 'bulk'));
    const ack = track(p, time, 'priority');
    await time.advance(5_000);
    expect(before.every((s) => s.at < pausedAt)).toBe(true);
    for (const s of [...bulk, ack]) expect(s.at).toBeGreaterThanOrEqual(pausedAt + 3_000);
    // After the pause the priority send is first and nothing bursts: one token apart.
    expect(ack.at).toBe(Math.min(...bulk.map((s) => s.at), ack.at));
    expect(
      busiestWindow(
        [...bulk, ack].map((s) => s.at),
        1000,
      ),
    ).toBeLessThanOrEqual(29);
    expect(p.stats().pauses).toBe(1);
  });

  it('when a shorter pause comes during a longer one, then the longer one stands', async () => {
    const time = new FakeTime();
    const p = pacer(time, 30);
    p.pauseAll(10);
    p.pauseAll(2);
    const send = track(p, time, 'priority');
    await time.advance(12_000);
    expect(send.at).toBeGreaterThanOrEqual(10_000);
  });

  it('when the options are out of range, then it refuses to start', () => {
    expect(() => new Pacer({ perSecond: 0 })).toThrow(RangeError);
    expect(() => new Pacer({ perSecond: 30, margin: 1.5 })).toThrow(RangeError);
  });
});
