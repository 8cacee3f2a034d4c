export interface MicroBatcherOptions {
  /**
   * Longest a message waits for companions before its batch is written. 0: only until the event loop
   * has handled what already arrived (setImmediate), so a lone message is written at once and a
   * batch grows only while every writer is busy.
   */
  maxWaitMs: number;
  /** A batch is written at once when it reaches this size. */
  maxSize: number;
  /** Batches written at the same time (keep below the database pool size). */
  maxInFlight: number;
  /**
   * Whether a failed batch's items are worth writing one by one: true for an error of the data (one poison
   * item), false for one of the database itself (gone, out of connections, timed out) — then every item
   * fails at once instead of queueing up to `maxSize` single writes behind an outage. Default: always.
   */
  retrySingly?: (error: unknown) => boolean;
  /** Items waiting beyond this are refused at once (the caller answers 503; the platform re-sends). */
  maxPending?: number;
}

/** Refused without waiting: the batcher's queue is full (the database is slow or away). */
export class BatcherFull extends Error {
  constructor() {
    super('intake batcher full');
    this.name = 'BatcherFull';
  }
}

/**
 * Group commit for intake: concurrent `submit` calls within `maxWaitMs` are written by one call of
 * `writeBatch` (one transaction, one WAL flush). Each caller still gets its own result — and its own
 * failure: if a batch fails, its items are retried one by one, so one poison item cannot take its
 * neighbours down, while a dead database fails them all (and nothing is acknowledged).
 */
export class MicroBatcher<I, O> {
  #pending: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  #cancelWait: (() => void) | null = null;
  #inFlight = 0;

  constructor(
    private readonly writeBatch: (items: I[]) => Promise<O[]>,
    private readonly options: MicroBatcherOptions,
  ) {}

  submit(item: I): Promise<O> {
    if (this.#pending.length >= (this.options.maxPending ?? Number.POSITIVE_INFINITY)) return Promise.reject(new BatcherFull());
    return new Promise<O>((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      if (this.#pending.length >= this.options.maxSize) this.#flush();
      else this.#cancelWait ??= this.#wait();
    });
  }

  #wait(): () => void {
    if (this.options.maxWaitMs > 0) {
      const timer = setTimeout(() => this.#flush(), this.options.maxWaitMs);
      return () => clearTimeout(timer);
    }
    const immediate = setImmediate(() => this.#flush());
    return () => clearImmediate(immediate);
  }

  #flush(): void {
    this.#cancelWait?.();
    this.#cancelWait = null;
    if (this.#pending.length === 0) return;
    if (this.#inFlight >= this.options.maxInFlight) {
      // Every writer is busy: the batch keeps growing and goes out when one finishes.
      return;
    }
    const batch = this.#pending.splice(0, this.options.maxSize);
    this.#inFlight++;
    this.#write(batch).finally(() => {
      this.#inFlight--;
      if (this.#pending.length > 0) this.#flush();
    });
  }

  async #write(batch: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[]): Promise<void> {
    try {
      const results = await this.writeBatch(batch.map((b) => b.item));
      batch.forEach((b, i) => {
        b.resolve(results[i] as O);
      });
    } catch (error) {
      if (batch.length === 1 || !(this.options.retrySingly?.(error) ?? true)) {
        for (const b of batch) b.reject(error);
        return;
      }
      // One by one, in arrival order: an edit must not overtake the message it edits.
      for (const b of batch) {
        try {
          const [result] = await this.writeBatch([b.item]);
          b.resolve(result as O);
        } catch (single) {
          b.reject(single);
        }
      }
    }
  }
}
