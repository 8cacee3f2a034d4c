/**
 * One demo case from registration to where it stands at `until`: taken, interim reply, extension,
 * final answer (or an «отписка» held for an operator), the poll and, after a «Нет», the reopening and
 * a second answer. Every moment comes from the department's habit on working time; whatever falls
 * after `until` has not happened yet, so recent cases are still open.
 */
import { HABITS, type Habit, RATINGS } from './profiles.js';
import type { Random } from './random.js';
import type { WorkingTable } from './working-table.js';

const HOUR = 3_600_000;
const WORKING_DAY = 8 * HOUR;

export interface CaseStart {
  readonly at: number;
  readonly first: number;
  readonly final: number;
  readonly latest: number | null;
  readonly habit: Habit;
  /** The department's load that month (1 = its average). */
  readonly load: number;
  /** A private chat: the citizen can be polled. */
  readonly pollable: boolean;
}

export interface AnswerEvent {
  kind: 'interim' | 'final';
  at: number;
  /** straight out, held and waiting, held then approved (out at reviewedAt), held then returned. */
  review: 'none' | 'pending' | 'approved' | 'rejected';
  reviewedAt: number | null;
  otpiska: boolean;
}

export interface CaseStory {
  status: string;
  triage: boolean;
  takenAt: number | null;
  answers: AnswerEvent[];
  deadline: number;
  extension: { at: number; until: number; approved: boolean; decidedAt: number | null } | null;
  poll: {
    createdAt: number;
    askedAt: number | null;
    remindedAt: number | null;
    answeredAt: number | null;
    rating: number | null;
    solved: boolean | null;
    state: string;
  } | null;
  reopenedAt: number | null;
  closedAt: number | null;
  updatedAt: number;
}

/** When a let-out answer reached the citizen (an approved held one when the operator approved it). */
export function outAt(a: AnswerEvent): number | null {
  if (a.review === 'rejected' || a.review === 'pending') return null;
  return a.review === 'approved' ? a.reviewedAt : a.at;
}

export function tellStory(random: Random, table: WorkingTable, c: CaseStart, until: number): CaseStory {
  const h = c.habit;
  const busy = Math.sqrt(Math.max(0.5, Math.min(3, c.load)));
  const story: CaseStory = {
    status: 'assigned',
    triage: false,
    takenAt: null,
    answers: [],
    deadline: c.final,
    extension: null,
    poll: null,
    reopenedAt: null,
    closedAt: null,
    updatedAt: c.at,
  };
  const done = (t: number | null): t is number => t !== null && t <= until;
  const seen = (t: number) => {
    if (t <= until && t > story.updatedAt) story.updatedAt = t;
  };
  // A few cases wait in the operators' triage queue first.
  let start = c.at;
  if (random.chance(0.03)) {
    story.triage = true;
    start = table.add(c.at, Math.round(random.logNormal(2, 0.8) * HOUR));
    if (start > until) {
      story.status = 'triage';
      return story;
    }
    seen(start);
  }
  if (random.chance(h.ignores * busy)) return story;

  // The final answer: a share of the term by habit and load, or late.
  let fraction = Math.min(0.98, random.logNormal(h.speed * busy, 0.45));
  const late = random.chance(Math.min(0.9, h.late * busy * busy));
  if (late) fraction = 1 + random.exponential(0.35);

  // Extension: asked before the deadline when the work needs longer, within the policy's maximum.
  if (c.latest !== null && (late || fraction > 0.7) && random.chance(h.extension * 3)) {
    const askedAt = table.point(start, c.final, 0.5 + random.next() * 0.4);
    const wanted = table.add(c.final, random.int(1, 5) * WORKING_DAY);
    const requested = Math.min(wanted, c.latest);
    const decidedAt = table.add(askedAt, Math.round(random.logNormal(3, 0.6) * HOUR));
    const approved = random.chance(0.8);
    story.extension = { at: askedAt, until: requested, approved, decidedAt: done(decidedAt) ? decidedAt : null };
    if (done(askedAt)) seen(askedAt);
    if (approved && done(decidedAt)) {
      story.deadline = requested;
      seen(decidedAt);
      if (late) fraction = Math.min(fraction, 0.98 + random.next() * 0.3);
    }
  }
  const finalAt = fraction <= 1 ? table.point(start, story.deadline, fraction) : lateBy(table, start, story.deadline, fraction);

  // Taken into work and an interim reply before the final answer.
  const firstAt = table.point(start, Math.max(c.first, start + HOUR), Math.min(3, random.logNormal(h.firstSpeed * busy, 0.5)));
  if (random.chance(0.6)) {
    const takenAt = table.point(start, Math.min(firstAt, finalAt), 0.3 + random.next() * 0.5);
    if (done(takenAt)) {
      story.takenAt = takenAt;
      story.status = 'in_progress';
      seen(takenAt);
    }
  }
  if (random.chance(h.interim) && firstAt < finalAt) {
    if (done(firstAt)) {
      story.answers.push({ kind: 'interim', at: firstAt, review: 'none', reviewedAt: null, otpiska: false });
      story.status = 'interim_replied';
      seen(firstAt);
    }
  }
  if (!done(finalAt)) return story;

  // The final answer; an «отписка» is held until an operator approves or returns it.
  let out = finalAt;
  let otpiska = false;
  if (random.chance(h.otpiska)) {
    otpiska = true;
    const reviewedAt = table.add(finalAt, Math.round(random.logNormal(2, 0.7) * HOUR));
    const approved = random.chance(0.65);
    const reviewed = done(reviewedAt);
    const review = reviewed ? (approved ? 'approved' : 'rejected') : 'pending';
    story.answers.push({ kind: 'final', at: finalAt, review, reviewedAt: reviewed ? reviewedAt : null, otpiska: true });
    seen(finalAt);
    // Still held at `until`: the case waits where it was.
    if (!reviewed) return story;
    seen(reviewedAt);
    out = reviewedAt;
    if (!approved) {
      otpiska = false;
      out = table.add(reviewedAt, Math.round(random.logNormal(1.5, 0.6) * WORKING_DAY));
      if (!done(out)) return story;
      story.answers.push({ kind: 'final', at: out, review: 'none', reviewedAt: null, otpiska: false });
    }
  } else {
    story.answers.push({ kind: 'final', at: finalAt, review: 'none', reviewedAt: null, otpiska: false });
  }
  story.status = 'answered';
  seen(out);
  if (!c.pollable) return story;

  // The poll: asked a few hours later; about half answer; «Нет» or 1–2 reopen the case.
  const askedAt = out + Math.round(random.logNormal(2, 0.4) * HOUR);
  if (!done(askedAt)) {
    story.poll = {
      createdAt: out,
      askedAt: null,
      remindedAt: null,
      answeredAt: null,
      rating: null,
      solved: null,
      state: 'scheduled',
    };
    return story;
  }
  seen(askedAt);
  const poll: NonNullable<CaseStory['poll']> = {
    createdAt: out,
    askedAt,
    remindedAt: null,
    answeredAt: null,
    rating: null,
    solved: null,
    state: 'asked',
  };
  story.poll = poll;
  if (!random.chance(0.55)) {
    const remindedAt = askedAt + 24 * HOUR;
    if (done(remindedAt)) {
      poll.remindedAt = remindedAt;
      poll.state = 'reminded';
    }
    return story;
  }
  const answeredAt = askedAt + Math.round(random.exponential(5 * HOUR));
  if (!done(answeredAt)) return story;
  const weights = otpiska ? RATINGS.otpiska : late ? RATINGS.late : RATINGS.good;
  const rating = pickRating(random, weights);
  const solved = rating >= 4 ? random.chance(0.95) : rating === 3 ? random.chance(0.6) : random.chance(0.1);
  Object.assign(poll, { answeredAt, rating, solved, state: 'answered' });
  seen(answeredAt);
  if (solved && rating >= 3) {
    story.status = 'closed';
    story.closedAt = answeredAt;
    return story;
  }
  story.status = 'reopened';
  story.reopenedAt = answeredAt;
  // Most reopened cases get a second answer within days.
  if (random.chance(0.85)) {
    const againAt = table.add(answeredAt, Math.round(random.logNormal(2, 0.6) * WORKING_DAY));
    if (done(againAt)) {
      story.answers.push({ kind: 'final', at: againAt, review: 'none', reviewedAt: null, otpiska: false });
      story.status = 'answered';
      seen(againAt);
    }
  }
  return story;
}

function lateBy(table: WorkingTable, start: number, deadline: number, fraction: number): number {
  const span = Math.max(HOUR, table.at(deadline) - table.at(start));
  return table.add(deadline, Math.round(span * (fraction - 1)));
}

function pickRating(random: Random, weights: readonly number[]): number {
  const total = weights.reduce((s, w) => s + w, 0);
  let r = random.next() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i] ?? 0;
    if (r < 0) return i + 1;
  }
  return weights.length;
}

export const DEFAULT_HABIT = HABITS.steady as Habit;
