/**
 * Makes a parsed platform payload storable, or says why it cannot be: every string becomes valid
 * UTF-16 without NUL (a lone surrogate or U+0000 becomes U+FFFD — PostgreSQL's text and jsonb
 * refuse both), numbers must be finite, and nesting is bounded (no platform nests deeper; a body
 * that does is hostile and would overflow the stack of any recursive reader after us).
 */
export type Storable = { ok: true; value: unknown } | { ok: false; reason: string };

export const MAX_DEPTH = 32;
const MAX_NODES = 100_000;

export function makeStorable(value: unknown): Storable {
  let nodes = 0;
  const walk = (v: unknown, depth: number): unknown => {
    if (++nodes > MAX_NODES) throw new Unstorable('too_many_values');
    if (typeof v === 'string') return clean(v);
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new Unstorable('number_out_of_range');
      return v;
    }
    if (v === null || typeof v === 'boolean') return v;
    if (depth >= MAX_DEPTH) throw new Unstorable('nested_too_deep');
    // Copy on write: a clean value (nearly every platform update) comes back as it is, not rebuilt — on the
    // acknowledgement path this walk runs for every delivery (bench/intake).
    if (Array.isArray(v)) {
      let out: unknown[] | null = null;
      for (let i = 0; i < v.length; i++) {
        const item = walk(v[i], depth + 1);
        if (out === null && item !== v[i]) out = v.slice(0, i);
        out?.push(item);
      }
      return out ?? v;
    }
    if (typeof v === 'object') {
      const source = v as Record<string, unknown>;
      const keys = Object.keys(source);
      let out: Record<string, unknown> | null = null;
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i] as string;
        const key = clean(k);
        const item = walk(source[k], depth + 1);
        if (out === null && (key !== k || item !== source[k])) {
          out = {};
          for (let j = 0; j < i; j++) out[keys[j] as string] = source[keys[j] as string];
        }
        if (out !== null) out[key] = item;
      }
      return out ?? v;
    }
    throw new Unstorable('not_json');
  };
  try {
    return { ok: true, value: walk(value, 0) };
  } catch (error) {
    if (error instanceof Unstorable) return { ok: false, reason: error.message };
    throw error;
  }
}

/** A lone surrogate or NUL becomes U+FFFD; everything else (emoji, RTL marks, HTML, SQL) stays verbatim. */
export function clean(s: string): string {
  const wellFormed = s.isWellFormed() ? s : s.toWellFormed();
  return wellFormed.includes('\u0000') ? wellFormed.replaceAll('\u0000', '\uFFFD') : wellFormed;
}

/** Parses a request body as JSON and makes it storable (V8's JSON.parse does not recurse; makeStorable bounds the depth). */
export function parseStorable(raw: string): Storable {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'invalid_json' };
  }
  return makeStorable(parsed);
}

/**
 * What a dead letter keeps of a value that could not be made storable: its JSON text, escaped (so
 * lone surrogates and NUL survive as \\u escapes), or a note when even that is impossible.
 */
export function rawOfUnstorable(value: unknown): { rawBody: string | null; note?: string } {
  try {
    return { rawBody: clean(JSON.stringify(value) ?? 'undefined').slice(0, 1_048_576) };
  } catch {
    return { rawBody: null, note: 'too deeply nested to serialise' };
  }
}

class Unstorable extends Error {}
