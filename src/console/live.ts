import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Live lists over server-sent events. Changes are found by polling a cheap watermark (a few index reads)
 * rather than LISTEN/NOTIFY: it works across processes and behind PgBouncer, and costs one query per
 * interval per process however many tabs are open — ONE poller per feed, running only while at least
 * one stream listens, so an idle console costs the database nothing.
 */
export interface LiveFeedOptions {
  /** Reads the watermark; any change of the string is a change of the list. */
  read: () => Promise<string>;
  /** How often to read while someone listens (2 s in the console; tests pass less). */
  intervalMs: number;
  /** A failed read is reported and the poller carries on (the database may be restarting). */
  onError?: (error: unknown) => void;
}

export class LiveFeed {
  readonly #listeners = new Set<() => void>();
  readonly #options: LiveFeedOptions;
  #timer: NodeJS.Timeout | undefined;
  #last: string | undefined;
  /** Bumped on every start and stop, so a read still in flight from an earlier run is dropped. */
  #run = 0;

  constructor(options: LiveFeedOptions) {
    this.#options = options;
  }

  /** Calls `listener` on every change from now on; the returned function unsubscribes. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    if (this.#listeners.size === 1) this.#start();
    return () => {
      if (this.#listeners.delete(listener) && this.#listeners.size === 0) this.#stop();
    };
  }

  get listeners(): number {
    return this.#listeners.size;
  }

  get polling(): boolean {
    return this.#timer !== undefined;
  }

  /** Drops every listener and stops polling (shutdown). */
  stop(): void {
    this.#listeners.clear();
    this.#stop();
  }

  #start(): void {
    const run = ++this.#run;
    this.#last = undefined;
    // The first read is the baseline: whoever subscribes has just seen the list as it is.
    const tick = async () => {
      try {
        const mark = await this.#options.read();
        if (run !== this.#run) return;
        const changed = this.#last !== undefined && mark !== this.#last;
        this.#last = mark;
        if (changed) for (const listener of [...this.#listeners]) listener();
      } catch (error) {
        if (run === this.#run) this.#options.onError?.(error);
      }
      // A timeout after each read (not an interval): a slow read never overlaps the next one.
      if (run === this.#run) this.#timer = setTimeout(tick, this.#options.intervalMs);
    };
    this.#timer = setTimeout(tick, 0);
  }

  #stop(): void {
    this.#run++;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#last = undefined;
  }
}

export interface EventStreamOptions {
  /** A comment line this often keeps proxies from closing an idle stream (25 s). */
  heartbeatMs?: number;
  /**
   * The stream ends after this long and the browser reconnects (EventSource does so by itself): the
   * reconnect checks the session and the role again, so a signed-out or deactivated person stops
   * getting events within this time.
   */
  lifetimeMs?: number;
}

/**
 * The event streams of one live list: each answers with `event: changed` on every change of its feed.
 * It keeps the open streams so shutdown can end them (an open stream would hold the server's close).
 */
export class EventStreams {
  readonly #open = new Set<() => void>();

  constructor(
    readonly feed: LiveFeed,
    readonly options: EventStreamOptions = {},
  ) {}

  get size(): number {
    return this.#open.size;
  }

  /**
   * Answers `request` with a stream. The caller has already checked the session and the role; the reply
   * is hijacked (Fastify no longer sends it), and the stream cleans up when either side closes.
   */
  open(request: FastifyRequest, reply: FastifyReply): void {
    const { heartbeatMs = 25_000, lifetimeMs = 15 * 60_000 } = this.options;
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      // nginx would otherwise buffer the stream and deliver events in bursts.
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    // How long the browser waits before reconnecting after the stream ends.
    raw.write('retry: 5000\n: connected\n\n');

    const send = (chunk: string) => {
      if (!raw.destroyed && !raw.writableEnded) raw.write(chunk);
    };
    const unsubscribe = this.feed.subscribe(() => send('event: changed\ndata: \n\n'));
    const heartbeat = setInterval(() => send(': heartbeat\n\n'), heartbeatMs);
    const lifetime = setTimeout(() => end(), lifetimeMs);
    let done = false;
    const cleanup = () => {
      if (done) return;
      done = true;
      clearInterval(heartbeat);
      clearTimeout(lifetime);
      unsubscribe();
      this.#open.delete(end);
    };
    const end = () => {
      cleanup();
      if (!raw.writableEnded) raw.end();
    };
    this.#open.add(end);
    request.raw.on('close', cleanup);
    raw.on('close', cleanup);
    raw.on('error', cleanup);
  }

  /** Ends every open stream and stops the feed (the server's preClose): browsers reconnect to whoever serves next. */
  close(): void {
    for (const end of [...this.#open]) end();
    this.feed.stop();
  }
}
