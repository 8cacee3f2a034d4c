/**
 * `mcu demo seed`: a realistic year of cases for the sandbox, the analytics benchmark and the web
 * console. Planned in memory (plan.ts), each case's story told on working time (lifecycle.ts), and
 * written in batches of a few thousand cases, one transaction each, with one INSERT per table.
 */
import type { DomainConfig } from '../../config/domain.js';
import { pickPolicy, type WorkingCalendar } from '../../lib/deadlines/index.js';
import { encodeActor } from '../../models/actor.js';
import type { Db } from '../../models/database.js';
import {
  allocateIds,
  type BulkColumn,
  DEMO_PREFIX,
  type DemoTable,
  demoCitizenIds,
  demoSourceIds,
  insertColumns,
  reserveCaseNumbers,
} from '../../models/demo-seed-repository.js';
import { DEFAULT_HABIT, outAt, tellStory } from './lifecycle.js';
import { localClock, type Plan, planYear } from './plan.js';
import { DEMO_SOURCES, DEPARTMENT_HABITS, HABITS, ORIGINS } from './profiles.js';
import { Random } from './random.js';
import {
  caseText,
  EXTENSION_REASONS,
  finalAnswerText,
  GOOD_QUALITY,
  interimAnswerText,
  OTPISKA_QUALITY,
  otpiskaText,
} from './texts.js';
import { WorkingTable } from './working-table.js';

export interface SeedOptions {
  count: number;
  months: number;
  until: Date;
  seed: number;
  batch?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface SeedSummary {
  cases: number;
  answers: number;
  polls: number;
  pollsAnswered: number;
  reopenings: number;
  extensions: number;
  held: number;
  problems: number;
  /** Cases per local month "YYYY-MM", in order. */
  perMonth: [string, number][];
  byStatus: Record<string, number>;
  firstNumber: string;
  lastNumber: string;
}

const SANDBOX = encodeActor({ type: 'sandbox' });

export async function seedDemoHistory(
  db: Db,
  domain: DomainConfig,
  calendar: WorkingCalendar,
  o: SeedOptions,
): Promise<SeedSummary> {
  const random = new Random(o.seed);
  const until = o.until.getTime();
  const zone = calendar.zone;
  const local = localClock(zone);
  const plan = planYear(domain, zone, random, { count: o.count, months: o.months, until });
  const table = new WorkingTable(calendar, plan.from, until);
  const now = o.until;

  const sourceIds = await demoSourceIds(
    db,
    Object.entries(DEMO_SOURCES).map(([key, s]) => ({ key, ...s })),
    now,
  );
  // Case numbers: the counters advance by this run's cases per year, so the app's next case follows them.
  const perYear = new Map<number, number>();
  for (let i = 0; i < plan.count; i++) {
    const year = Number(local(plan.at[i] ?? 0).slice(0, 4));
    perYear.set(year, (perYear.get(year) ?? 0) + 1);
  }
  const nextNumber = new Map<number, number>();
  await db.transaction().execute(async (tx) => {
    for (const [year, n] of [...perYear].sort((a, b) => a[0] - b[0])) nextNumber.set(year, await reserveCaseNumbers(tx, year, n));
  });
  const problemIds = await writeProblems(db, plan, domain);

  const summary: SeedSummary = {
    cases: 0,
    answers: 0,
    polls: 0,
    pollsAnswered: 0,
    reopenings: 0,
    extensions: 0,
    held: 0,
    problems: plan.problems.length,
    perMonth: [],
    byStatus: {},
    firstNumber: '',
    lastNumber: '',
  };
  const perMonth = new Map<string, number>();
  // Citizens per channel: active people write often (a skewed pick from a pool of ~60 % of the cases).
  const pool = new Map<string, number>(
    ORIGINS.map((x) => [x.channel, Math.max(10, Math.round(plan.count * 0.6 * (x.weight / 100)))]),
  );
  const batch = o.batch ?? 5_000;
  const texts = new Random(o.seed ^ 0x5eed);
  const policies = domain.sla.policies;
  const sourceRegime = (key: string | undefined) => (key ? (domain.sources?.[key]?.regime ?? 'pos') : 'social');

  for (let offset = 0; offset < plan.count; offset += batch) {
    const end = Math.min(plan.count, offset + batch);
    const size = end - offset;
    await db.transaction().execute(async (tx) => {
      const caseIds = await allocateIds(tx, 'case', size);
      const messageIds = await allocateIds(tx, 'message', size);
      const rows = new Rows();
      // Citizens first: one lookup per channel for the batch.
      const citizenOf = new Int32Array(size).fill(-1);
      const wanted = new Map<string, number[]>();
      for (let i = offset; i < end; i++) {
        const origin = ORIGINS[plan.origin[i] ?? 0];
        if (!origin || origin.channel === 'import') continue;
        const k = 1 + Math.floor((pool.get(origin.channel) ?? 10) * random.next() ** 1.6);
        citizenOf[i - offset] = k;
        const list = wanted.get(origin.channel) ?? [];
        wanted.set(origin.channel, list);
        list.push(k);
      }
      const citizenIds = new Map<string, number>();
      for (const [channel, numbers] of wanted) {
        const unique = [...new Set(numbers)];
        const ids = await demoCitizenIds(tx, channel, unique, now);
        unique.forEach((k, j) => {
          citizenIds.set(`${channel}|${k}`, ids[j] ?? 0);
        });
      }

      for (let i = offset; i < end; i++) {
        const j = i - offset;
        const caseId = caseIds[j] ?? 0;
        const at = plan.at[i] ?? 0;
        const origin = ORIGINS[plan.origin[i] ?? 0] ?? (ORIGINS[0] as (typeof ORIGINS)[number]);
        const category = plan.categories[plan.category[i] ?? 0] ?? 'other';
        const districtIndex = plan.district[i] ?? -1;
        const district = districtIndex >= 0 ? domain.districts[districtIndex] : undefined;
        const department = plan.departments[plan.department[i] ?? 0] ?? 'mcu';
        const urgent = plan.urgent[i] === 1;
        const regime = sourceRegime(origin.externalSource);
        const policy = pickPolicy(policies, { regime, priority: urgent ? 'urgent' : 'normal', channel: origin.channel });
        const d = table.deadlines(policy, at);
        const habit = HABITS[DEPARTMENT_HABITS[department] ?? 'steady'] ?? DEFAULT_HABIT;
        const pollable = origin.messageKind === 'private' && origin.channel !== 'import';
        const story = tellStory(
          random,
          table,
          { at, first: d.first, final: d.final, latest: d.latest, habit, load: plan.load[i] ?? 1, pollable },
          until,
        );

        const localAt = local(at);
        const year = Number(localAt.slice(0, 4));
        const seq = nextNumber.get(year) ?? 1;
        nextNumber.set(year, seq + 1);
        const number = `МЦУ-${year}-${String(seq).padStart(6, '0')}`;
        if (!summary.firstNumber) summary.firstNumber = number;
        summary.lastNumber = number;
        const month = localAt.slice(0, 7);
        perMonth.set(month, (perMonth.get(month) ?? 0) + 1);
        summary.byStatus[story.status] = (summary.byStatus[story.status] ?? 0) + 1;

        const text = caseText(texts, category, district?.forms?.prepositional ?? null);
        const citizenKey = citizenOf[j] ?? -1;
        const citizenId = citizenKey > 0 ? (citizenIds.get(`${origin.channel}|${citizenKey}`) ?? null) : null;
        const sourceId = sourceIds.get(origin.key) ?? 0;
        const inTriage = story.status === 'triage';
        const p = plan.problem[i] ?? -1;
        rows.case.push({
          id: caseId,
          number,
          status: story.status,
          channel: origin.channel,
          source_id: sourceId,
          citizen_id: citizenId,
          text,
          category: inTriage ? null : category,
          district: district?.id ?? null,
          department: inTriage ? null : department,
          priority: urgent ? 'urgent' : 'normal',
          triage_reason: inTriage ? 'low_confidence' : null,
          deadline_at: iso(story.deadline),
          last_message_at: iso(at),
          created_at: iso(at),
          updated_at: iso(story.updatedAt),
          category_auto: category,
          category_confidence: Math.round((inTriage ? 0.3 + random.next() * 0.2 : 0.6 + random.next() * 0.39) * 1000) / 1000,
          category_rule: null,
          district_reason: district ? 'demo' : null,
          routing_rule: inTriage
            ? null
            : plan.routedByDistrict[i]
              ? `category+district: ${category}/${district?.id}`
              : `category: ${category}`,
          problem_id: p >= 0 ? (problemIds[p] ?? null) : null,
          first_response_due_at: iso(d.first),
          regime,
          latest_deadline_at: d.latest === null ? null : iso(d.latest),
        });
        const messageId = messageIds[j] ?? 0;
        rows.message.push({
          id: messageId,
          channel: origin.channel,
          source_id: sourceId,
          external_id: `${DEMO_PREFIX}${caseId}`,
          kind: origin.messageKind,
          platform_ids: '{}',
          citizen_id: citizenId,
          text,
          attachments: '[]',
          new_case: true,
          platform_at: iso(at),
          received_at: iso(at),
          raw: '{"demo":true}',
          case_id: caseId,
          processed_at: iso(at),
        });
        if (origin.externalSource) {
          const final = story.answers.filter((a) => a.kind === 'final' && outAt(a) !== null).at(-1);
          const finalOut = final ? outAt(final) : null;
          const rating =
            finalOut !== null && random.chance(0.4)
              ? 1 + Math.min(4, Math.floor(random.next() * 5 + (final?.otpiska ? -1 : 1)))
              : null;
          rows.external_appeal.push({
            source: origin.externalSource,
            external_id: `DEMO-${caseId}`,
            case_id: caseId,
            message_id: messageId,
            received_at: iso(at),
            source_category: null,
            source_department: null,
            source_status: null,
            applied_status: story.status,
            answer_text: null,
            answered_at: finalOut === null ? null : iso(finalOut),
            closed_at: null,
            rating: rating === null ? null : Math.max(1, Math.min(5, rating)),
            created_at: iso(at),
            updated_at: iso(story.updatedAt),
          });
        }
        for (const a of story.answers) {
          const out = outAt(a);
          const state =
            a.review === 'pending'
              ? 'held'
              : a.review === 'rejected'
                ? 'rejected'
                : origin.channel === 'import'
                  ? 'recorded'
                  : 'sent';
          if (a.review !== 'none') summary.held++;
          summary.answers++;
          rows.answer.push({
            case_id: caseId,
            kind: a.kind,
            text: a.otpiska
              ? otpiskaText(texts)
              : a.kind === 'interim'
                ? interimAnswerText(number, dayLabel(local(d.final)))
                : finalAnswerText(texts, category, number, dayLabel(local(a.at))),
            author: SANDBOX,
            quality: JSON.stringify(a.otpiska ? OTPISKA_QUALITY : GOOD_QUALITY),
            state,
            error: a.review === 'rejected' ? 'returned by an operator' : null,
            created_at: iso(a.at),
            delivered_at: out === null ? null : iso(out + 2_000),
            reviewed_by: a.reviewedAt === null ? null : SANDBOX,
            reviewed_at: a.reviewedAt === null ? null : iso(a.reviewedAt),
          });
        }
        if (story.extension) {
          const e = story.extension;
          summary.extensions++;
          rows.extension_request.push({
            case_id: caseId,
            requested_by: SANDBOX,
            reason: texts.pick(EXTENSION_REASONS),
            previous_deadline_at: iso(d.final),
            requested_until: iso(e.until),
            state: e.decidedAt === null ? 'pending' : e.approved ? 'approved' : 'rejected',
            decided_by: e.decidedAt === null ? null : SANDBOX,
            decided_at: e.decidedAt === null ? null : iso(e.decidedAt),
            created_at: iso(e.at),
          });
        }
        if (story.poll) {
          const q = story.poll;
          summary.polls++;
          if (q.state === 'answered') summary.pollsAnswered++;
          rows.poll.push({
            case_id: caseId,
            state: q.state,
            solved: q.solved,
            rating: q.rating,
            asked_at: q.askedAt === null ? null : iso(q.askedAt),
            reminded_at: q.remindedAt === null ? null : iso(q.remindedAt),
            answered_at: q.answeredAt === null ? null : iso(q.answeredAt),
            created_at: iso(q.createdAt),
          });
        }
        if (story.reopenedAt !== null) {
          summary.reopenings++;
          rows.audit_log.push({
            actor: encodeActor({ type: 'citizen', channel: origin.channel }),
            action: 'status_changed',
            entity: 'case',
            entity_id: String(caseId),
            details: JSON.stringify({
              from: 'answered',
              to: 'reopened',
              comment: `poll: solved=${story.poll?.solved}, rating=${story.poll?.rating ?? '—'}`,
            }),
            created_at: iso(story.reopenedAt),
          });
        }
      }
      await rows.write(tx);
    });
    summary.cases = end;
    o.onProgress?.(end, plan.count);
  }
  summary.perMonth = [...perMonth].sort((a, b) => a[0].localeCompare(b[0]));
  return summary;
}

/** The planned problems, written first so cases can point at them. Their title names the cluster, never a citizen's text. */
async function writeProblems(db: Db, plan: Plan, domain: DomainConfig): Promise<number[]> {
  return db.transaction().execute(async (tx) => {
    const ids = await allocateIds(tx, 'problem', plan.problems.length);
    const names = new Map(domain.categories.map((c) => [c.id, c.name]));
    const p = plan.problems;
    const category = p.map((x) => plan.categories[x.category] ?? 'other');
    await insertColumns(tx, 'problem', [
      { name: 'id', type: 'bigint', values: ids },
      { name: 'category', type: 'text', values: category },
      { name: 'district', type: 'text', values: p.map((x) => plan.districts[x.district] ?? '') },
      {
        name: 'title',
        type: 'text',
        values: p.map((x, i) => `${names.get(category[i] ?? '') ?? category[i]}: ${domain.districts[x.district]?.name ?? ''}`),
      },
      { name: 'case_count', type: 'integer', values: p.map((x) => x.count) },
      { name: 'first_at', type: 'timestamptz', values: p.map((x) => iso(x.firstAt)) },
      { name: 'last_at', type: 'timestamptz', values: p.map((x) => iso(x.lastAt)) },
    ]);
    return ids;
  });
}

/** A batch's rows by table, written column-wise. */
class Rows {
  readonly case: Record<string, unknown>[] = [];
  readonly message: Record<string, unknown>[] = [];
  readonly answer: Record<string, unknown>[] = [];
  readonly poll: Record<string, unknown>[] = [];
  readonly extension_request: Record<string, unknown>[] = [];
  readonly audit_log: Record<string, unknown>[] = [];
  readonly external_appeal: Record<string, unknown>[] = [];

  async write(tx: Parameters<typeof insertColumns>[0]): Promise<void> {
    const order: DemoTable[] = ['case', 'message', 'external_appeal', 'answer', 'poll', 'extension_request', 'audit_log'];
    for (const t of order) {
      const rows = this[t as keyof Rows] as Record<string, unknown>[];
      const first = rows[0];
      if (!first) continue;
      const columns: BulkColumn[] = Object.keys(first).map((name) => ({
        name,
        type: TYPES[name] ?? 'text',
        values: rows.map((r) => r[name] ?? null),
      }));
      await insertColumns(tx, t, columns);
    }
  }
}

const TYPES: Record<string, BulkColumn['type']> = {
  id: 'bigint',
  source_id: 'bigint',
  citizen_id: 'bigint',
  case_id: 'bigint',
  message_id: 'bigint',
  problem_id: 'bigint',
  category_confidence: 'real',
  rating: 'integer',
  solved: 'boolean',
  new_case: 'boolean',
  platform_ids: 'jsonb',
  attachments: 'jsonb',
  raw: 'jsonb',
  quality: 'jsonb',
  details: 'jsonb',
};
for (const name of [
  'deadline_at',
  'last_message_at',
  'created_at',
  'updated_at',
  'first_response_due_at',
  'latest_deadline_at',
  'platform_at',
  'received_at',
  'processed_at',
  'delivered_at',
  'reviewed_at',
  'previous_deadline_at',
  'requested_until',
  'decided_at',
  'asked_at',
  'reminded_at',
  'answered_at',
  'closed_at',
]) {
  TYPES[name] = 'timestamptz';
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** «15.03» from a local ISO-like string. */
function dayLabel(localIso: string): string {
  return `${localIso.slice(8, 10)}.${localIso.slice(5, 7)}`;
}
