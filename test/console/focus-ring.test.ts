import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const css = readFileSync(new URL('../../src/console/assets/console.css', import.meta.url), 'utf8');

/** WCAG relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};
const variable = (name: string) => new RegExp(`--${name}:\\s*(#[0-9a-f]{6})`, 'i').exec(css)?.[1] as string;

/** WCAG 1.4.11: the keyboard focus ring has 3:1 against the page and the header it is drawn on. */
describe('console: the focus ring', () => {
  it('when an element has keyboard focus, then its outline has at least 3:1 contrast with the page and the header', () => {
    const rings = [...css.matchAll(/:focus(?:-visible)?\s*\{[^}]*outline:\s*\d+px solid (#[0-9a-f]{6})/gi)].map(
      (m) => m[1] as string,
    );
    expect(rings.length).toBeGreaterThanOrEqual(2);
    for (const ring of rings) {
      expect(contrast(ring, '#ffffff')).toBeGreaterThanOrEqual(3);
      expect(contrast(ring, variable('soft'))).toBeGreaterThanOrEqual(3);
    }
    // The white inner ring keeps it visible on the blue buttons.
    expect(/:focus-visible\s*\{[^}]*box-shadow:\s*0 0 0 2px #fff/.test(css)).toBe(true);
    expect(contrast('#ffffff', variable('accent'))).toBeGreaterThanOrEqual(3);
  });
});
