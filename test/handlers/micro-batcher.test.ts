import { describe, expect, it } from 'vitest';
import { MicroBatcher } from '../../handlers/intake/micro-batcher.js';

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
});
