import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDomainConfig } from '../../config/domain.js';
import { ConfigError } from '../../config/errors.js';

const SHIPPED = readFileSync(fileURLToPath(new URL('../../config/barnaul.yaml', import.meta.url)), 'utf8');
const REPORTS = 'reports:\n  weeklyAt: "08:30"\n  lateOnTimeShare: 0.8\n';

function withReports(section: string): string {
  if (!SHIPPED.includes(REPORTS)) throw new Error('barnaul.yaml has no reports section');
  return SHIPPED.replace(REPORTS, section);
}

function problemsOf(text: string): string {
  try {
    parseDomainConfig(text, 'test.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems.join('\n');
  }
  throw new Error('expected a ConfigError');
}

describe('reports (the weekly report)', () => {
  it('when the section is there, then it is read; without it, there is none (the code takes the digest time and 0.8)', () => {
    expect(parseDomainConfig(SHIPPED, 'test.yaml').reports).toEqual({ weeklyAt: '08:30', lateOnTimeShare: 0.8 });
    expect(parseDomainConfig(withReports(''), 'test.yaml').reports).toBeUndefined();
  });

  it('when the time falls in the quiet hours or the share is not 0–1, then the key is reported', () => {
    expect(problemsOf(withReports('reports:\n  weeklyAt: "23:00"\n'))).toMatch(
      /reports\.weeklyAt: must be outside the quiet hours \(22:00–08:00\)/,
    );
    expect(problemsOf(withReports('reports:\n  lateOnTimeShare: 80\n'))).toMatch(/reports\.lateOnTimeShare/);
  });
});
