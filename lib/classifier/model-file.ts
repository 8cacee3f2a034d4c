/** Loading a saved classifier: the JSON is checked in full, so a truncated or foreign file fails with a clear reason. */
import { readFile, writeFile } from 'node:fs/promises';
import { checkCalibration } from './calibrate.js';
import { Classifier, type ClassifierJson, MODEL_FORMAT, MODEL_VERSION, type TrainingInfo } from './classifier.js';
import type { FeatureOptions } from './tokenize.js';
import { Vectorizer } from './vectorizer.js';

/** A model file that cannot be used; the message says why. */
export class ModelFormatError extends Error {
  override readonly name = 'ModelFormatError';
}

function fail(message: string): never {
  throw new ModelFormatError(`not a usable classifier model: ${message}`);
}

function numbers(value: unknown, name: string, length: number): Float32Array {
  if (!Array.isArray(value) || value.length !== length) fail(`"${name}" must be an array of ${length} numbers`);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const v = value[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(`"${name}"[${i}] is not a finite number`);
    out[i] = v;
  }
  return out;
}

function strings(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || !value.every((s) => typeof s === 'string')) fail(`"${name}" must be an array of strings`);
  return value as string[];
}

function featureOptions(value: unknown): FeatureOptions {
  const f = value as Partial<FeatureOptions> | null;
  if (typeof f !== 'object' || f === null || typeof f.bigrams !== 'boolean') fail('"features.bigrams" must be true or false');
  const n = f.charNgrams;
  if (n !== null && !(Array.isArray(n) && n.length === 2 && n.every((x) => Number.isInteger(x) && x > 0) && n[0] <= n[1])) {
    fail('"features.charNgrams" must be null or [min, max]');
  }
  return { bigrams: f.bigrams, charNgrams: n === null ? null : [n[0], n[1]] };
}

/** Rebuilds a classifier from its saved JSON (a parsed object or the file's text). */
export function loadClassifier(json: unknown): Classifier {
  const data = (typeof json === 'string' ? JSON.parse(json) : json) as Partial<ClassifierJson> | null;
  if (typeof data !== 'object' || data === null) fail('expected a JSON object');
  if (data.format !== MODEL_FORMAT) fail(`"format" is ${JSON.stringify(data.format)}, expected "${MODEL_FORMAT}"`);
  if (data.version !== MODEL_VERSION) {
    fail(`version ${JSON.stringify(data.version)} is not supported (this program reads version ${MODEL_VERSION})`);
  }
  const labels = strings(data.labels, 'labels');
  if (labels.length < 2 || new Set(labels).size !== labels.length) fail('"labels" must hold at least two distinct labels');
  const vocabulary = strings(data.vocabulary, 'vocabulary');
  const idf = numbers(data.idf, 'idf', vocabulary.length);
  const K = labels.length;
  const weights = new Float32Array(vocabulary.length * K + K);
  const scale = data.weightScale;
  if (typeof scale !== 'number' || !(scale > 0) || !Number.isFinite(scale)) fail('"weightScale" must be a positive number');
  const scaled = numbers(data.weights, 'weights', vocabulary.length * K);
  for (let i = 0; i < scaled.length; i++) weights[i] = (scaled[i] as number) / scale;
  weights.set(numbers(data.bias, 'bias', K), vocabulary.length * K);
  const createdAt = new Date(typeof data.createdAt === 'string' ? data.createdAt : Number.NaN);
  if (Number.isNaN(createdAt.getTime())) fail('"createdAt" must be an ISO date');
  const vectorizer = new Vectorizer(vocabulary, idf, featureOptions(data.features));
  const training = (data.training ?? {}) as TrainingInfo;
  let calibration = null;
  if (data.calibration !== undefined) {
    try {
      calibration = checkCalibration(data.calibration, labels);
    } catch (error) {
      fail((error as Error).message);
    }
  }
  return new Classifier(
    labels,
    vectorizer,
    { classes: K, features: vocabulary.length, weights },
    training,
    createdAt,
    calibration,
  );
}

/** Reads and loads a model file. */
export async function readClassifierFile(path: string): Promise<Classifier> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ModelFormatError(`cannot read model file ${path}: ${(error as Error).message}`);
  }
  try {
    return loadClassifier(JSON.parse(text));
  } catch (error) {
    if (error instanceof SyntaxError) throw new ModelFormatError(`model file ${path} is not valid JSON: ${error.message}`);
    throw error;
  }
}

/** The model as JSON text: one top-level key per line, so `head` shows the labels and training facts. */
export function serializeClassifier(classifier: Classifier): string {
  const fields = Object.entries(classifier.toJSON()).map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`);
  return `{\n${fields.join(',\n')}\n}\n`;
}

/** Writes a model file; returns its size in bytes. */
export async function writeClassifierFile(path: string, classifier: Classifier): Promise<number> {
  const text = serializeClassifier(classifier);
  await writeFile(path, text);
  return Buffer.byteLength(text);
}
