/**
 * The demo year planned in memory before anything is written: when each case comes, about what,
 * where, from which channel, to which department, and which cases form a problem (a cluster). Typed
 * arrays, so a million cases fit in a few tens of megabytes; sorted by time, so numbers and problems
 * follow the order the city would have seen.
 */
import type { DomainConfig } from '../../config/domain.js';
import type { TimeZone } from '../../lib/deadlines/index.js';
import { DEFAULT_SEASON, HOURS, ORIGINS, SEASONS, WEEKDAYS } from './profiles.js';
import { type Random, WeightedPicker } from './random.js';

export interface Plan {
  readonly count: number;
  readonly from: number;
  readonly until: number;
  readonly categories: readonly string[];
  readonly districts: readonly string[];
  readonly departments: readonly string[];
  /** Per case, in time order. */
  readonly at: Float64Array;
  readonly category: Uint16Array;
  /** -1: no district found in the text. */
  readonly district: Int8Array;
  readonly department: Uint16Array;
  readonly origin: Uint8Array;
  readonly urgent: Uint8Array;
  /** Index into `problems`, -1 for none. */
  readonly problem: Int32Array;
  /** How busy the case's department is that month, relative to its average month (1 = usual). */
  readonly load: Float32Array;
  readonly problems: PlannedProblem[];
  /** Whether the departments' routing came from a district rule (for routing_rule). */
  readonly routedByDistrict: Uint8Array;
}

export interface PlannedProblem {
  category: number;
  district: number;
  firstAt: number;
  lastAt: number;
  count: number;
}

/** A sudden cluster: a burst of cases about one thing in one district within hours (an accident, a storm). */
const INCIDENT_SHARE = 0.07;
const INCIDENT_MEAN_SIZE = 25;
const DUPLICATE_WINDOW_MS = 72 * 3_600_000;

export function planYear(
  domain: DomainConfig,
  zone: TimeZone,
  random: Random,
  o: { count: number; months: number; until: number },
): Plan {
  const categories = domain.categories.map((c) => c.id);
  const districts = domain.districts.map((d) => d.id);
  const seasons = categories.map((c) => SEASONS[c] ?? DEFAULT_SEASON);

  // The local days of the period, each with its weight (weekday, a slow growth over the period).
  const untilDate = zone.dateAt(o.until);
  const fromDate = monthsBefore(untilDate, o.months);
  const from = zone.instantOf(fromDate, 0);
  const days: { date: string; start: number; month: number; weight: number }[] = [];
  for (let date = fromDate; date <= untilDate; date = nextDate(date)) {
    const month = Number(date.slice(5, 7)) - 1;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    days.push({ date, start: zone.instantOf(date, 0), month, weight: WEEKDAYS[weekday] ?? 1 });
  }
  const monthTotal = (m: number) => seasons.reduce((s, season) => s + season.weight * (season.months[m] ?? 1), 0);
  const dayPicker = new WeightedPicker(
    days.map((d, i) => [d, d.weight * monthTotal(d.month) * (0.9 + (0.2 * i) / days.length)] as const),
  );
  const byMonth = Array.from(
    { length: 12 },
    (_, m) => new WeightedPicker(seasons.map((s, i) => [i, s.weight * (s.months[m] ?? 1)] as const)),
  );
  const clustered = Array.from(
    { length: 12 },
    (_, m) =>
      new WeightedPicker(seasons.map((s, i) => [i, (s.clusters ?? 0) >= 0.3 ? s.weight * (s.months[m] ?? 1) : 0] as const)),
  );
  // Districts by population; equal weights where the domain file has none.
  const districtPicker = new WeightedPicker(domain.districts.map((d, i) => [i, d.population ?? 1] as const));
  const hourPicker = new WeightedPicker(HOURS.map((w, h) => [h, w] as const));
  const originPicker = new WeightedPicker(ORIGINS.map((origin, i) => [i, origin.weight] as const));

  const momentOn = (day: { start: number }) => day.start + hourPicker.pick(random) * 3_600_000 + random.int(0, 3_599_999);

  // 1. Every case's moment, category and district; incidents first, each with its own problem.
  const n = o.count;
  const rows: { at: number; category: number; district: number; incident: number }[] = new Array(n);
  let filled = 0;
  const incidents: { category: number; district: number }[] = [];
  const incidentCases = Math.round(n * INCIDENT_SHARE);
  while (filled < incidentCases) {
    const day = dayPicker.pick(random);
    const start = day.start + random.int(6, 20) * 3_600_000;
    if (start >= o.until) continue;
    const incident =
      incidents.push({ category: clustered[day.month]?.pick(random) ?? 0, district: districtPicker.pick(random) }) - 1;
    const size = Math.min(incidentCases - filled, 5 + Math.round(random.exponential(INCIDENT_MEAN_SIZE - 5)));
    for (let k = 0; k < size; k++) {
      const at = Math.min(o.until - 1, start + Math.round(random.exponential(8 * 3_600_000)));
      const inc = incidents[incident];
      rows[filled++] = { at, category: inc?.category ?? 0, district: inc?.district ?? 0, incident };
    }
  }
  while (filled < n) {
    const day = dayPicker.pick(random);
    const at = momentOn(day);
    if (at >= o.until || at < from) continue;
    const district = random.chance(0.05) ? -1 : districtPicker.pick(random);
    rows[filled++] = { at, category: byMonth[day.month]?.pick(random) ?? 0, district, incident: -1 };
  }
  rows.sort((a, b) => a.at - b.at);

  // 2. Routing, origin, urgency, problems (a case joins the last one of its category and district within 72 h).
  const departments: string[] = [];
  const departmentIndex = new Map<string, number>();
  const indexOf = (id: string) => {
    let i = departmentIndex.get(id);
    if (i === undefined) {
      i = departments.push(id) - 1;
      departmentIndex.set(id, i);
    }
    return i;
  };
  const plan: Plan = {
    count: n,
    from,
    until: o.until,
    categories,
    districts,
    departments,
    at: new Float64Array(n),
    category: new Uint16Array(n),
    district: new Int8Array(n),
    department: new Uint16Array(n),
    origin: new Uint8Array(n),
    urgent: new Uint8Array(n),
    problem: new Int32Array(n),
    load: new Float32Array(n),
    problems: [],
    routedByDistrict: new Uint8Array(n),
  };
  const chains = new Map<string, { lastAt: number; lastCase: number }>();
  const incidentProblem = new Map<number, number>();
  rows.forEach((r, i) => {
    const category = categories[r.category] ?? 'other';
    const districtId = r.district >= 0 ? districts[r.district] : undefined;
    const rule = domain.structuring?.routing.find((x) => x.category === category && x.district === districtId);
    const department = rule?.department ?? domain.categories[r.category]?.department ?? 'mcu';
    plan.at[i] = r.at;
    plan.category[i] = r.category;
    plan.district[i] = r.district;
    plan.department[i] = indexOf(department);
    plan.routedByDistrict[i] = rule ? 1 : 0;
    plan.origin[i] = originPicker.pick(random);
    const season = seasons[r.category] ?? DEFAULT_SEASON;
    plan.urgent[i] = random.chance(season.urgent ?? 0.01) ? 1 : 0;
    plan.problem[i] = -1;
    if (r.district < 0) return;
    const key = `${r.category}|${r.district}`;
    const chain = chains.get(key);
    const joins =
      chain !== undefined &&
      r.at - chain.lastAt <= DUPLICATE_WINDOW_MS &&
      random.chance(r.incident >= 0 ? 0.9 : (season.clusters ?? 0.1));
    if (r.incident >= 0 && !incidentProblem.has(r.incident) && !joins) {
      incidentProblem.set(r.incident, newProblem(plan, r.category, r.district, r.at));
    }
    if (joins && chain) {
      let p = plan.problem[chain.lastCase] ?? -1;
      if (p < 0) {
        p = r.incident >= 0 ? (incidentProblem.get(r.incident) ?? -1) : -1;
        if (p < 0) p = newProblem(plan, r.category, r.district, plan.at[chain.lastCase] ?? r.at);
        addToProblem(plan, p, chain.lastCase);
      }
      addToProblem(plan, p, i);
    } else if (r.incident >= 0) {
      addToProblem(plan, incidentProblem.get(r.incident) ?? newProblem(plan, r.category, r.district, r.at), i);
    }
    chains.set(key, { lastAt: r.at, lastCase: i });
  });
  // A problem of one case is no cluster: drop it.
  const keep = plan.problems.map((p) => p.count >= 2);
  const renumber = new Int32Array(plan.problems.length).fill(-1);
  const kept: PlannedProblem[] = [];
  plan.problems.forEach((p, i) => {
    if (keep[i]) renumber[i] = kept.push(p) - 1;
  });
  for (let i = 0; i < n; i++) {
    const p = plan.problem[i] ?? -1;
    if (p >= 0) plan.problem[i] = renumber[p] ?? -1;
  }
  // Not splice(…, ...kept): a million cases make ~100,000 problems, too many arguments for one call.
  plan.problems.length = 0;
  for (const p of kept) plan.problems.push(p);

  // 3. Each department's load by month, for slower answers in its busy season.
  const local = localClock(zone);
  const monthOf = (i: number) => local(plan.at[i] ?? 0).slice(0, 7);
  const perMonth = new Map<string, number>();
  const perDepartment = new Map<number, Set<string>>();
  for (let i = 0; i < n; i++) {
    const key = `${plan.department[i]}|${monthOf(i)}`;
    perMonth.set(key, (perMonth.get(key) ?? 0) + 1);
    const d = plan.department[i] ?? 0;
    const months = perDepartment.get(d) ?? new Set<string>();
    perDepartment.set(d, months);
    months.add(key);
  }
  const average = new Map<number, number>();
  for (const [d, months] of perDepartment) {
    let sum = 0;
    for (const m of months) sum += perMonth.get(m) ?? 0;
    average.set(d, sum / Math.max(1, o.months));
  }
  for (let i = 0; i < n; i++) {
    const d = plan.department[i] ?? 0;
    const key = `${d}|${monthOf(i)}`;
    plan.load[i] = (perMonth.get(key) ?? 1) / Math.max(1, average.get(d) ?? 1);
  }
  return plan;
}

function newProblem(plan: Plan, category: number, district: number, at: number): number {
  return plan.problems.push({ category, district, firstAt: at, lastAt: at, count: 0 }) - 1;
}

function addToProblem(plan: Plan, p: number, i: number): void {
  const problem = plan.problems[p];
  if (!problem || plan.problem[i] === p) return;
  plan.problem[i] = p;
  problem.count++;
  const at = plan.at[i] ?? 0;
  problem.firstAt = Math.min(problem.firstAt, at);
  problem.lastAt = Math.max(problem.lastAt, at);
}

function nextDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The local date `months` calendar months before `date` (the day after, so 12 months end today). */
function monthsBefore(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - months);
  return nextDate(d.toISOString().slice(0, 10));
}

/** The local "YYYY-MM-DD…" of an instant, with the zone's offset looked up once per hour (Intl is slow for a million). */
export function localClock(zone: TimeZone): (at: number) => string {
  const offsets = new Map<number, number>();
  return (at) => {
    const hour = Math.floor(at / 3_600_000);
    let offset = offsets.get(hour);
    if (offset === undefined) {
      offset = zone.offsetAt(hour * 3_600_000);
      offsets.set(hour, offset);
    }
    return new Date(at + offset).toISOString();
  };
}
