import { describe, expect, it } from 'vitest';
import { BatcherFull, MicroBatcher } from '../../handlers/intake/micro-batcher.js';
import { isDataError } from '../../models/database.js';

describe('MicroBatcher', () => {
  it('when several items arrive together, then they are written in one batch and each gets its own result', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher(
      async (items: number[]) => {
        batches.push(items);
        return items.map((i) => i * 10);
      },
      { maxWaitMs: 5, maxSize: 100, maxInFlight: 1 },
    );
    const results = await Promise.all([1, 2, 3].map((i) => batcher.submit(i)));
    expect(results).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('when the batch reaches its size, then it is written at once', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher(
      async (items: number[]) => {
        batches.push(items);
        return items;
      },
      { maxWaitMs: 10_000, maxSize: 2, maxInFlight: 4 },
    );
    await Promise.all([1, 2, 3, 4].map((i) => batcher.submit(i)));
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('when one item poisons its batch, then the others are retried alone and succeed; only it fails', async () => {
    const batcher = new MicroBatcher(
      async (items: number[]) => {
        if (items.includes(13)) throw new Error('bad item');
        return items.map((i) => i + 1);
      },
      { maxWaitMs: 5, maxSize: 100, maxInFlight: 1 },
    );
    const results = await Promise.allSettled([1, 13, 2].map((i) => batcher.submit(i)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results[0]).toEqual({ status: 'fulfilled', value: 2 });
  });

  it('when the store is down, then every caller is rejected (and so nothing is acknowledged)', async () => {
    const batcher = new MicroBatcher(
      async (): Promise<number[]> => {
        throw new Error('connection refused');
      },
      { maxWaitMs: 1, maxSize: 100, maxInFlight: 1 },
    );
    const results = await Promise.allSettled([1, 2].map((i) => batcher.submit(i)));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
  });

  it('when no wait is set, then a lone item is written on the next turn and items arriving while the writer is busy go out together', async () => {
    const batches: number[][] = [];
    let release: () => void = () => {};
    const batcher = new MicroBatcher(
      async (items: number[]) => {
        batches.push(items);
        // The first write is held until the test lets it go: the writer is busy meanwhile.
        if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
        return items;
      },
      { maxWaitMs: 0, maxSize: 100, maxInFlight: 1 },
    );
    const first = batcher.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);
    const rest = [2, 3, 4].map((i) => batcher.submit(i));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(batches).toEqual([[1]]);
    release();
    expect(await Promise.all([first, ...rest])).toEqual([1, 2, 3, 4]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('when the database itself fails a batch, then every item fails at once, none is written alone behind the outage', async () => {
    const calls: number[][] = [];
    const gone = Object.assign(new Error('Connection terminated unexpectedly'), {});
    const batcher = new MicroBatcher(
      async (items: number[]) => {
        calls.push(items);
        throw gone;
      },
      { maxWaitMs: 5, maxSize: 100, maxInFlight: 1, retrySingly: isDataError },
    );
    const outcomes = await Promise.allSettled([1, 2, 3].map((i) => batcher.submit(i)));
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(calls).toEqual([[1, 2, 3]]);
    // A data error (SQLSTATE 22P05: untranslatable character) is the item's: the batch is retried one by one.
    expect(isDataError(Object.assign(new Error('x'), { code: '22P05' }))).toBe(true);
    expect(isDataError(Object.assign(new Error('x'), { code: '57P01' }))).toBe(false);
    expect(isDataError(Object.assign(new Error('x'), { code: '08006' }))).toBe(false);
    expect(isDataError(gone)).toBe(false);
  });

  it('when more items wait than the batcher holds, then the next is refused at once', async () => {
    const gates: (() => void)[] = [];
    const batcher = new MicroBatcher((items: number[]) => new Promise<number[]>((resolve) => gates.push(() => resolve(items))), {
      maxWaitMs: 0,
      maxSize: 1,
      maxInFlight: 1,
      maxPending: 2,
    });
    const tick = () => new Promise((r) => setImmediate(r));
    const all = [batcher.submit(1)];
    await tick(); // 1 is being written; 2 and 3 wait.
    all.push(batcher.submit(2), batcher.submit(3));
    await expect(batcher.submit(4)).rejects.toBeInstanceOf(BatcherFull);
    for (let i = 0; i < 3; i++) {
      while (gates.length === 0) await tick();
      gates.shift()?.();
      await tick();
    }
    await expect(Promise.all(all)).resolves.toEqual([1, 2, 3]);
  });
});
