/**
 * TF-IDF over a pruned vocabulary: sublinear term frequency (1 + ln tf), smoothed idf
 * (ln((1 + n) / (1 + df)) + 1, as scikit-learn does) and unit L2 length per text.
 */
import { extractFeatures, type FeatureOptions } from './tokenize.js';

/** One text as a sparse vector: ascending feature indices and their weights. */
export interface SparseVector {
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/** Many texts in compressed-row form: row i is indices/values[indptr[i] .. indptr[i + 1]). */
export interface SparseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

export interface VocabularyOptions {
  /** A feature must occur in at least this many texts to be kept. */
  readonly minDf: number;
  /** Keep at most this many features, the most frequent first (ties: alphabetical, for reproducibility). */
  readonly maxFeatures: number;
}

export class Vectorizer {
  readonly #index: Map<string, number>;

  constructor(
    readonly vocabulary: readonly string[],
    readonly idf: Float32Array,
    readonly features: FeatureOptions,
  ) {
    this.#index = new Map(vocabulary.map((feature, i) => [feature, i]));
  }

  get size(): number {
    return this.vocabulary.length;
  }

  /** The TF-IDF vector of one text; unknown features are ignored. */
  transform(text: string): SparseVector {
    const counts = new Map<number, number>();
    for (const feature of extractFeatures(text, this.features)) {
      const id = this.#index.get(feature);
      if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return weigh(counts, this.idf);
  }

  /** Vectors of many texts as one compressed-row matrix. */
  transformMany(texts: readonly string[]): SparseMatrix {
    return stack(
      texts.map((t) => this.transform(t)),
      this.size,
    );
  }

  /**
   * Learns the vocabulary and idf from texts and returns the fitted vectoriser with the training matrix,
   * so the texts are featurised once.
   */
  static fit(
    texts: readonly string[],
    features: FeatureOptions,
    options: VocabularyOptions,
  ): { vectorizer: Vectorizer; matrix: SparseMatrix } {
    // Pass 1: every distinct feature gets a provisional id; texts are kept as id lists, not strings.
    const provisional = new Map<string, number>();
    const df: number[] = [];
    const docs: Int32Array[] = [];
    for (const text of texts) {
      const ids = extractFeatures(text, features).map((f) => {
        let id = provisional.get(f);
        if (id === undefined) {
          id = provisional.size;
          provisional.set(f, id);
          df.push(0);
        }
        return id;
      });
      const doc = Int32Array.from(ids);
      for (const id of new Set(doc)) df[id] = (df[id] ?? 0) + 1;
      docs.push(doc);
    }

    // Prune by document frequency, then renumber the survivors alphabetically: the model file stays
    // the same when only the order of training texts changes.
    const kept = [...provisional].filter(([, id]) => (df[id] ?? 0) >= options.minDf);
    kept.sort((a, b) => (df[b[1]] ?? 0) - (df[a[1]] ?? 0) || (a[0] < b[0] ? -1 : 1));
    kept.length = Math.min(kept.length, options.maxFeatures);
    kept.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const remap = new Int32Array(provisional.size).fill(-1);
    const vocabulary = kept.map(([feature, id], i) => {
      remap[id] = i;
      return feature;
    });
    const n = texts.length;
    const idf = Float32Array.from(kept, ([, id]) => Math.log((1 + n) / (1 + (df[id] ?? 0))) + 1);
    provisional.clear();

    const vectorizer = new Vectorizer(vocabulary, idf, features);
    const rows = docs.map((doc) => {
      const counts = new Map<number, number>();
      for (const id of doc) {
        const j = remap[id] ?? -1;
        if (j >= 0) counts.set(j, (counts.get(j) ?? 0) + 1);
      }
      return weigh(counts, idf);
    });
    return { vectorizer, matrix: stack(rows, vocabulary.length) };
  }
}

function weigh(counts: Map<number, number>, idf: Float32Array): SparseVector {
  const indices = Int32Array.from(counts.keys()).sort();
  const values = new Float32Array(indices.length);
  let norm = 0;
  for (let p = 0; p < indices.length; p++) {
    const j = indices[p] as number;
    const v = (1 + Math.log(counts.get(j) ?? 1)) * (idf[j] ?? 0);
    values[p] = v;
    norm += v * v;
  }
  if (norm > 0) {
    const scale = 1 / Math.sqrt(norm);
    for (let p = 0; p < values.length; p++) values[p] = (values[p] as number) * scale;
  }
  return { indices, values };
}

function stack(rows: readonly SparseVector[], cols: number): SparseMatrix {
  const indptr = new Int32Array(rows.length + 1);
  for (let i = 0; i < rows.length; i++) indptr[i + 1] = (indptr[i] as number) + (rows[i]?.indices.length ?? 0);
  const nnz = indptr[rows.length] as number;
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  rows.forEach((row, i) => {
    indices.set(row.indices, indptr[i]);
    values.set(row.values, indptr[i]);
  });
  return { rows: rows.length, cols, indptr, indices, values };
}

/**
 * Merges identical rows with the same label into one row whose weight is the sum of theirs. The loss
 * is unchanged (it is a weighted sum over rows), but short complaints repeat a lot («мусор», «снег на
 * дороге»): on the SPb appeals this removes about a quarter of the rows, and as much training time.
 */
export function mergeDuplicateRows(
  matrix: SparseMatrix,
  y: Int32Array,
  weight: Float32Array,
): { matrix: SparseMatrix; y: Int32Array; weight: Float32Array } {
  const firstRow = new Map<string, number>();
  const keptRows: number[] = [];
  const mergedWeight: number[] = [];
  for (let i = 0; i < matrix.rows; i++) {
    const start = matrix.indptr[i] as number;
    const end = matrix.indptr[i + 1] as number;
    const key = `${y[i]}:${matrix.indices.subarray(start, end).join(',')}:${matrix.values.subarray(start, end).join(',')}`;
    const at = firstRow.get(key);
    if (at === undefined) {
      firstRow.set(key, keptRows.length);
      keptRows.push(i);
      mergedWeight.push(weight[i] as number);
    } else {
      mergedWeight[at] = (mergedWeight[at] as number) + (weight[i] as number);
    }
  }
  const rows = keptRows.map((i): SparseVector => {
    const start = matrix.indptr[i] as number;
    const end = matrix.indptr[i + 1] as number;
    return { indices: matrix.indices.subarray(start, end), values: matrix.values.subarray(start, end) };
  });
  return {
    matrix: stack(rows, matrix.cols),
    y: Int32Array.from(keptRows, (i) => y[i] as number),
    weight: Float32Array.from(mergedWeight),
  };
}
