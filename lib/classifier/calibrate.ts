/**
 * Calibration of a trained classifier on held-out texts:
 * - a temperature T for its probabilities (softmax(z / T), fitted by grid search on the held-out
 *   log-loss), so a confidence of 0.8 is right about 8 times in 10;
 * - a confidence threshold per label: the lowest at which the label's held-out predictions are right
 *   at least `targetPrecision` of the time. A label with too few held-out predictions, or that never
 *   reaches the target, gets none (the domain file's minConfidence applies).
 * Pure: no files, no database.
 */
export interface Calibration {
  temperature: number;
  targetPrecision: number;
  /** Per label; absent labels use the caller's default threshold. */
  thresholds: Readonly<Record<string, number>>;
  /** How many held-out texts it was fitted on. */
  heldOut: number;
}

/** Probabilities sharpened or softened by a temperature: p_i^(1/T), renormalised (= softmax(z_i / T)). */
export function withTemperature(p: Float64Array, temperature: number): Float64Array {
  if (temperature === 1) return p;
  const out = new Float64Array(p.length);
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const v = Math.max(p[i] as number, 1e-300) ** (1 / temperature);
    out[i] = v;
    sum += v;
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / sum;
  return out;
}

const TEMPERATURES = [0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3];
const THRESHOLDS = Array.from({ length: 17 }, (_, i) => 0.15 + i * 0.05); // 0.15 … 0.95

/** Fits the calibration on held-out probabilities (`labels` order) and their true label indexes. */
export function fitCalibration(
  labels: readonly string[],
  heldOut: readonly { p: Float64Array; gold: number }[],
  options: { targetPrecision: number; minPredictions: number; skip?: readonly string[] },
): Calibration {
  let temperature = 1;
  let best = Number.POSITIVE_INFINITY;
  for (const t of TEMPERATURES) {
    let loss = 0;
    for (const { p, gold } of heldOut) loss -= Math.log(Math.max(withTemperature(p, t)[gold] as number, 1e-12));
    if (loss < best) {
      best = loss;
      temperature = t;
    }
  }
  // The calibrated best label and its confidence for every held-out text.
  const decided = heldOut.map(({ p, gold }) => {
    const q = withTemperature(p, temperature);
    let k = 0;
    for (let i = 1; i < q.length; i++) if ((q[i] as number) > (q[k] as number)) k = i;
    return { label: k, confidence: q[k] as number, right: k === gold };
  });
  const thresholds: Record<string, number> = {};
  labels.forEach((label, k) => {
    if (options.skip?.includes(label)) return;
    const mine = decided.filter((d) => d.label === k);
    for (const t of THRESHOLDS) {
      const kept = mine.filter((d) => d.confidence >= t);
      if (kept.length < options.minPredictions) break;
      if (kept.filter((d) => d.right).length / kept.length >= options.targetPrecision) {
        thresholds[label] = Number(t.toFixed(2));
        break;
      }
    }
  });
  return { temperature, targetPrecision: options.targetPrecision, thresholds, heldOut: heldOut.length };
}

/** Checks a calibration read from a model file; throws with the reason. */
export function checkCalibration(value: unknown, labels: readonly string[]): Calibration {
  const c = value as Partial<Calibration> | null;
  const fail = (why: string): never => {
    throw new RangeError(`"calibration" ${why}`);
  };
  if (typeof c !== 'object' || c === null) fail('must be an object');
  const t = c?.temperature;
  if (typeof t !== 'number' || !(t > 0) || !Number.isFinite(t)) fail('"temperature" must be a positive number');
  const target = c?.targetPrecision;
  if (typeof target !== 'number' || !(target > 0 && target <= 1)) fail('"targetPrecision" must be in (0, 1]');
  const thresholds = c?.thresholds;
  if (typeof thresholds !== 'object' || thresholds === null) fail('"thresholds" must be an object');
  for (const [label, v] of Object.entries(thresholds ?? {})) {
    if (!labels.includes(label)) fail(`has a threshold for an unknown label ${JSON.stringify(label)}`);
    if (typeof v !== 'number' || !(v > 0 && v < 1)) fail(`threshold of ${JSON.stringify(label)} must be in (0, 1)`);
  }
  return {
    temperature: t as number,
    targetPrecision: target as number,
    thresholds: thresholds ?? {},
    heldOut: Number(c?.heldOut ?? 0),
  };
}
