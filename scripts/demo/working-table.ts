/**
 * Working time for a million timestamps: the deadline engine's own working intervals (lib/deadlines,
 * the production calendar), read once per local date into sorted arrays, so a point in working time
 * is a binary search instead of a walk over days. Same results as addWorkingMs/workingMsBetween
 * (the seed test compares a sample with computeDeadlines); deadlines in working days (`8wd`) and
 * calendar days (`30d`) are the engine's addDuration, memoised by local date, since they depend on
 * nothing else.
 */
import { addDuration, DAY_MS, parseDuration, type SlaTerms, type WorkingCalendar } from '../../lib/deadlines/index.js';

export class WorkingTable {
  readonly #starts: number[] = [];
  readonly #ends: number[] = [];
  /** Working ms before interval i. */
  readonly #before: number[] = [];
  readonly #dayMemo = new Map<string, number>();

  constructor(
    readonly calendar: WorkingCalendar,
    from: number,
    to: number,
  ) {
    let total = 0;
    // A day before and a generous tail after: deadlines and late answers run past `to`.
    for (let t = from - DAY_MS; t <= to + 400 * DAY_MS; t += DAY_MS) {
      for (const interval of calendar.workingIntervals(calendar.localDateOf(t))) {
        if (this.#starts.length > 0 && interval.start < (this.#ends.at(-1) ?? 0)) continue;
        this.#starts.push(interval.start);
        this.#ends.push(interval.end);
        this.#before.push(total);
        total += interval.end - interval.start;
      }
    }
  }

  /** Working ms from the table's start to `t`. */
  at(t: number): number {
    const i = this.#lastStartingBy(t);
    if (i < 0) return 0;
    return (this.#before[i] ?? 0) + Math.min(t, this.#ends[i] ?? 0) - (this.#starts[i] ?? 0);
  }

  /** The instant `amount` ms of working time after `from` (as addWorkingMs: night starts next morning). */
  add(from: number, amount: number): number {
    const target = this.at(from) + amount;
    // The first interval that ends after `from` and reaches the target.
    let lo = 0;
    let hi = this.#starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const reaches = (this.#before[mid] ?? 0) + (this.#ends[mid] ?? 0) - (this.#starts[mid] ?? 0) >= target;
      if (reaches && (this.#ends[mid] ?? 0) > from) hi = mid;
      else lo = mid + 1;
    }
    const start = Math.max(from, this.#starts[lo] ?? from);
    return start + target - this.at(start);
  }

  /** The moment `fraction` of the working time from `start` to `end` has passed (beyond 1: past `end`). */
  point(start: number, end: number, fraction: number): number {
    const span = this.at(end) - this.at(start);
    if (span <= 0) return start + (end - start) * fraction;
    return this.add(start, Math.round(span * fraction));
  }

  /** A deadline `duration` after `start`, as the engine's addDuration. */
  deadline(start: number, duration: string): number {
    const { amount, unit } = parseDuration(duration);
    if (unit === 'wh') return this.add(start, amount * 3_600_000);
    if (unit === 'wd') {
      const key = `${this.calendar.localDateOf(start)}|${duration}`;
      let at = this.#dayMemo.get(key);
      if (at === undefined) {
        at = addDuration(this.calendar, new Date(start), duration).getTime();
        this.#dayMemo.set(key, at);
      }
      return at;
    }
    return addDuration(this.calendar, new Date(start), duration).getTime();
  }

  /** First, final and latest final deadline of a case registered at `start`, as computeDeadlines. */
  deadlines(terms: SlaTerms, start: number): { first: number; final: number; latest: number | null } {
    const final = this.deadline(start, terms.finalResponse);
    return {
      first: this.deadline(start, terms.firstResponse),
      final,
      latest: terms.maxExtension === undefined ? null : this.deadline(final, terms.maxExtension),
    };
  }

  #lastStartingBy(t: number): number {
    let lo = 0;
    let hi = this.#starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((this.#starts[mid] ?? 0) <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }
}
