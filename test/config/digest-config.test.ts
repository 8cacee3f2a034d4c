import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDomainConfig } from '../../config/domain.js';
import { ConfigError } from '../../config/errors.js';

const SHIPPED = readFileSync(fileURLToPath(new URL('../../config/barnaul.yaml', import.meta.url)), 'utf8');
const DIGEST_LINE = '  digest: { at: "08:30" }\n';

function withDigest(line: string): string {
  if (!SHIPPED.includes(DIGEST_LINE)) throw new Error('barnaul.yaml has no digest line');
  return SHIPPED.replace(DIGEST_LINE, line);
}

function problemsOf(text: string): readonly string[] {
  try {
    parseDomainConfig(text, 'test.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('sla.digest', () => {
  it('when the file has no digest key, then the digest goes at 08:30', () => {
    expect(parseDomainConfig(withDigest(''), 'test.yaml').sla.digest).toEqual({ at: '08:30' });
  });

  it('when a time is set, then it is used', () => {
    expect(parseDomainConfig(withDigest('  digest: { at: "09:15" }\n'), 'test.yaml').sla.digest.at).toBe('09:15');
  });

  it('when the time is not HH:MM, then the key is reported', () => {
    expect(problemsOf(withDigest('  digest: { at: "8:30" }\n')).join('\n')).toMatch(
      /sla\.digest\.at: must be a time of day "HH:MM"/,
    );
  });

  it('when the time falls in the quiet hours, then it is refused with the hours named', () => {
    expect(problemsOf(withDigest('  digest: { at: "07:30" }\n')).join('\n')).toMatch(
      /sla\.digest\.at: must be outside the quiet hours \(22:00–08:00\)/,
    );
  });

  it('when the default time falls in the quiet hours, then the quiet hours say to set it', () => {
    const text = withDigest('').replace(
      'quietHours: { start: "22:00", end: "08:00" }',
      'quietHours: { start: "22:00", end: "09:00" }',
    );
    expect(problemsOf(text).join('\n')).toMatch(/sla\.quietHours: the morning digest's default time 08:30/);
  });
});
