import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBoundaries } from '../../config/boundaries.js';
import { loadDomainConfig } from '../../config/domain.js';
import { ConfigError } from '../../config/errors.js';
import { createStructurer } from '../../handlers/structuring/assess.js';

const domain = loadDomainConfig('config/barnaul.yaml');
const ids = domain.districts.map((d) => d.id);
const boundaries = loadBoundaries('test/fixtures/districts.geojson', ids);
const structurer = createStructurer(domain, null, boundaries);
const at = new Date('2026-07-01T03:00:00Z');

describe('district from coordinates (optional GeoJSON boundaries)', () => {
  it('when the point lies in one district, then that district, and the reason says it came from the point', () => {
    expect(structurer.assess('Здесь яма', at, { lat: 53.31, lon: 83.65 }).district).toEqual({
      district: 'industrial',
      reason: 'geo: point inside the industrial boundary',
    });
  });

  it('when the point lies in a hole of a polygon, then the polygon does not claim it', () => {
    expect(structurer.assess('Здесь яма', at, { lat: 53.33, lon: 83.75 }).district.district).toBeNull();
  });

  it('when the point and the text disagree, then no district and the conflict is named', () => {
    const match = structurer.assess('Яма на Власихе', at, { lat: 53.31, lon: 83.78 }).district;
    expect(match.district).toBeNull();
    expect(match.reason).toMatch(/^conflict: the point lies in central, the text names industrial/);
  });

  it('when the point is outside every boundary, then the text decides', () => {
    expect(structurer.assess('Яма на Власихе', at, { lat: 10, lon: 10 }).district.district).toBe('industrial');
  });

  it('when the boundary file names an unknown district or is not GeoJSON, then a ConfigError lists it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcu-geo-'));
    const bad = join(dir, 'bad.geojson');
    writeFileSync(
      bad,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { district: 'atlantis' },
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [0, 0],
                  [1, 0],
                  [1, 1],
                  [0, 0],
                ],
              ],
            },
          },
        ],
      }),
    );
    expect(() => loadBoundaries(bad, ids)).toThrow(ConfigError);
    writeFileSync(bad, '{"type": "Topology"}');
    expect(() => loadBoundaries(bad, ids)).toThrow(/bad\.geojson/);
  });
});
