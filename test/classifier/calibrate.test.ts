import { describe, expect, it } from 'vitest';
import {
  fitCalibration,
  loadClassifier,
  serializeClassifier,
  trainClassifier,
  withTemperature,
} from '../../lib/classifier/index.js';
import { labelledExamples } from './helpers.js';

describe('calibration: a temperature and per-label thresholds fitted on held-out texts', () => {
  it('when the temperature is above 1, then probabilities soften; below 1, they sharpen; they always sum to 1', () => {
    const p = Float64Array.from([0.7, 0.2, 0.1]);
    const soft = withTemperature(p, 2);
    const sharp = withTemperature(p, 0.5);
    expect(soft[0]).toBeLessThan(0.7);
    expect(sharp[0]).toBeGreaterThan(0.7);
    for (const q of [soft, sharp]) expect(q.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(withTemperature(p, 1)).toBe(p);
  });

  it('when a model is overconfident on held-out texts, then the fitted temperature softens it', () => {
    // Always 0.99 sure, right only 60 % of the time: the log-loss is lowest with a high temperature.
    const heldOut = Array.from({ length: 100 }, (_, i) => ({
      p: Float64Array.from([0.99, 0.005, 0.005]),
      gold: i % 5 < 3 ? 0 : 1,
    }));
    const c = fitCalibration(['a', 'b', 'c'], heldOut, { targetPrecision: 0.9, minPredictions: 8 });
    expect(c.temperature).toBeGreaterThan(1);
    // «a» is never right 90 % of the time, whatever the threshold: no threshold of its own.
    expect(c.thresholds).toEqual({});
    expect(c.heldOut).toBe(100);
  });

  it('when a label is right often enough above some confidence, then its threshold is the lowest such confidence', () => {
    // Confident predictions of «a» (0.8) are right, unsure ones (0.4) are wrong half the time.
    const heldOut = [
      ...Array.from({ length: 20 }, () => ({ p: Float64Array.from([0.8, 0.1, 0.1]), gold: 0 })),
      ...Array.from({ length: 20 }, (_, i) => ({ p: Float64Array.from([0.4, 0.35, 0.25]), gold: i % 2 })),
      ...Array.from({ length: 3 }, () => ({ p: Float64Array.from([0.1, 0.1, 0.8]), gold: 2 })),
    ];
    const c = fitCalibration(['a', 'b', 'c'], heldOut, { targetPrecision: 0.9, minPredictions: 8, skip: ['b'] });
    const a = c.thresholds.a as number;
    expect(a).toBeGreaterThan(withTemperature(Float64Array.from([0.4, 0.35, 0.25]), c.temperature)[0] as number);
    expect(a).toBeLessThanOrEqual(withTemperature(Float64Array.from([0.8, 0.1, 0.1]), c.temperature)[0] as number);
    // «c» has too few held-out predictions to judge by.
    expect(c.thresholds.c).toBeUndefined();
  });

  it('when a calibrated model is saved and loaded, then it keeps its calibration, and a broken one is refused with the reason', () => {
    const model = trainClassifier(labelledExamples()).withCalibration({
      temperature: 0.8,
      targetPrecision: 0.9,
      thresholds: { roads: 0.4 },
      heldOut: 10,
    });
    const loaded = loadClassifier(serializeClassifier(model));
    expect(loaded.calibration).toEqual(model.calibration);
    expect(loaded.thresholdFor('roads')).toBe(0.4);
    expect(loaded.thresholdFor('cold-water')).toBeUndefined();
    expect(loaded.predict('Нет холодной воды в доме').confidence).toBeCloseTo(
      model.predict('Нет холодной воды в доме').confidence,
      3,
    );
    const json = JSON.parse(serializeClassifier(model));
    expect(() => loadClassifier({ ...json, calibration: { ...json.calibration, thresholds: { nope: 0.5 } } })).toThrow(
      /unknown label/,
    );
    expect(() => loadClassifier({ ...json, calibration: { ...json.calibration, temperature: -1 } })).toThrow(/temperature/);
    // A file without calibration (the format before it) still loads.
    const { calibration: _none, ...plain } = json;
    expect(loadClassifier(plain).calibration).toBeNull();
  });
});
