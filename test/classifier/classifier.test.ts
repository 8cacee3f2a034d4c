import { describe, expect, it } from 'vitest';
import {
  type Classifier,
  evaluate,
  loadClassifier,
  ModelFormatError,
  scorePredictions,
  serializeClassifier,
  stratifiedSplit,
  trainClassifier,
} from '../../lib/classifier/index.js';
import { labelledExamples } from './helpers.js';

const UNSEEN = [
  { text: 'В доме нет воды со вчерашнего вечера', label: 'cold-water' },
  { text: 'Яма на дороге возле остановки', label: 'roads' },
  { text: 'Спасибо вам большое!', label: 'not_a_problem' },
];

const train = (createdAt = new Date('2025-01-01T00:00:00Z')): Classifier => trainClassifier(labelledExamples(), { createdAt });

describe('trainClassifier and predict', () => {
  const classifier = train();

  it('when a text is about a trained topic, then its label wins', () => {
    for (const { text, label } of UNSEEN) expect(classifier.predict(text).label).toBe(label);
  });

  it('gives a confidence in [0, 1] and the three best labels, highest first', () => {
    for (const { text } of UNSEEN) {
      const p = classifier.predict(text);
      expect(p.confidence).toBeGreaterThanOrEqual(0);
      expect(p.confidence).toBeLessThanOrEqual(1);
      expect(p.top).toHaveLength(3);
      expect(p.top[0]).toEqual({ label: p.label, confidence: p.confidence });
      const confidences = p.top.map((t) => t.confidence);
      expect([...confidences].sort((a, b) => b - a)).toEqual(confidences);
      const sum = classifier.probabilities(text).reduce((s, x) => s + x, 0);
      expect(sum).toBeCloseTo(1, 6);
    }
  });

  it('when a text has no known word, then it still answers with a label and a low confidence', () => {
    const p = classifier.predict('qwerty');
    expect(classifier.labels).toContain(p.label);
    expect(p.confidence).toBeLessThan(0.9);
  });

  it('when trained twice on the same examples, then the saved models are identical', () => {
    const a = train().toJSON();
    const b = train().toJSON();
    expect({ ...a, training: { ...a.training, seconds: 0 } }).toEqual({ ...b, training: { ...b.training, seconds: 0 } });
  });

  it('when there is only one label, then training refuses with a clear message', () => {
    expect(() => trainClassifier([{ text: 'нет воды', label: 'cold-water' }])).toThrow(/at least two different labels/);
  });
});

describe('save and load', () => {
  const classifier = train();

  it('when a model is saved and loaded, then it predicts the same labels and (rounding aside) confidences', () => {
    const loaded = loadClassifier(JSON.parse(serializeClassifier(classifier)));
    expect(loaded.labels).toEqual(classifier.labels);
    for (const { text } of [...UNSEEN, ...labelledExamples()]) {
      const a = classifier.predict(text);
      const b = loaded.predict(text);
      expect(b.label).toBe(a.label);
      expect(Math.abs(b.confidence - a.confidence)).toBeLessThan(0.005);
    }
  });

  it('when a loaded model is saved and loaded again, then predictions are exactly identical', () => {
    const once = loadClassifier(serializeClassifier(classifier));
    const twice = loadClassifier(serializeClassifier(once));
    for (const { text } of UNSEEN) expect(twice.predict(text)).toEqual(once.predict(text));
  });

  it('saves word statistics, not training texts', () => {
    const json = serializeClassifier(classifier);
    for (const e of labelledExamples()) expect(json).not.toContain(e.text);
  });

  it('when the JSON is not a model, then loading fails and says why', () => {
    const good = classifier.toJSON();
    expect(() => loadClassifier({ hello: 'world' })).toThrow(ModelFormatError);
    expect(() => loadClassifier({ ...good, version: 99 })).toThrow(/version 99 is not supported/);
    expect(() => loadClassifier({ ...good, weights: good.weights.slice(1) })).toThrow(/"weights" must be an array/);
    expect(() => loadClassifier({ ...good, idf: good.idf.map(() => 'x') })).toThrow(/"idf"/);
  });
});

describe('evaluate', () => {
  it('when predictions are scored, then accuracy, per-class scores, macro-F1 and confusions are right', () => {
    const result = scorePredictions(['a', 'a', 'a', 'b', 'b', 'c'], ['a', 'a', 'b', 'b', 'a', 'c']);
    expect(result.accuracy).toBeCloseTo(4 / 6);
    const a = result.perClass.find((c) => c.label === 'a');
    expect(a).toEqual({ label: 'a', precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, support: 3 });
    // F1: a 2/3, b 1/2, c 1 → mean 13/18.
    expect(result.macroF1).toBeCloseTo(13 / 18);
    expect(result.perClass.map((c) => c.label)).toEqual(['a', 'b', 'c']);
    expect(result.confusedPairs).toEqual([
      { actual: 'a', predicted: 'b', count: 1 },
      { actual: 'b', predicted: 'a', count: 1 },
    ]);
  });

  it('when a label is only predicted, never actual, then it counts in macro-F1 with support 0', () => {
    const result = scorePredictions(['a', 'a'], ['a', 'x']);
    expect(result.perClass.find((c) => c.label === 'x')).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(result.macroF1).toBeCloseTo((2 / 3 + 0) / 2);
  });

  it('evaluates a classifier on labelled examples', () => {
    const result = evaluate(train(), UNSEEN);
    expect(result.examples).toBe(3);
    expect(result.accuracy).toBe(1);
    expect(result.macroF1).toBe(1);
  });
});

describe('stratifiedSplit', () => {
  const examples = labelledExamples();

  it('holds out the share of every label, keeps order and loses nothing', () => {
    const { train, test } = stratifiedSplit(examples, 0.25, 7);
    expect(train.length + test.length).toBe(examples.length);
    for (const label of ['cold-water', 'roads', 'not_a_problem']) {
      expect(test.filter((e) => e.label === label)).toHaveLength(2);
    }
    const order = (list: typeof examples) => list.map((e) => examples.indexOf(e));
    expect(order(test)).toEqual([...order(test)].sort((x, y) => x - y));
    expect(new Set([...train, ...test]).size).toBe(examples.length);
  });

  it('when the seed is the same, then the split is the same; another seed, another split', () => {
    expect(stratifiedSplit(examples, 0.25, 7)).toEqual(stratifiedSplit(examples, 0.25, 7));
    expect(stratifiedSplit(examples, 0.25, 7).test).not.toEqual(stratifiedSplit(examples, 0.25, 8).test);
  });

  it('when a label has a single example, then it stays in training', () => {
    const { test } = stratifiedSplit([...examples, { text: 'один', label: 'lonely' }], 0.5, 1);
    expect(test.some((e) => e.label === 'lonely')).toBe(false);
  });
});
