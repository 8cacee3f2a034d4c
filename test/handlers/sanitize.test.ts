import { describe, expect, it } from 'vitest';
import { stripNulDeep } from '../../handlers/intake/sanitize.js';

describe('NUL sanitising', () => {
  it('when a payload holds U+0000 anywhere, then it becomes U+FFFD and everything else stays verbatim', () => {
    const raw = { message: { text: 'a\u0000b', entities: [{ type: 'x\u0000' }], n: 1, ok: true, none: null }, 'k\u0000': 'v' };
    expect(stripNulDeep(raw)).toEqual({
      message: { text: 'a\uFFFDb', entities: [{ type: 'x\uFFFD' }], n: 1, ok: true, none: null },
      'k\uFFFD': 'v',
    });
  });

  it('when a citizen types the six characters \\u0000, then they are kept as typed (no crash)', () => {
    const typed = { text: 'слэш \\u0000 и \\\\u0000' };
    expect(stripNulDeep(typed)).toEqual(typed);
  });
});
