import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './errors.js';

type Ring = [number, number][];
/** One district's area: polygons of [lon, lat] rings, the first ring outer, the rest holes. */
export interface DistrictBoundary {
  district: string;
  polygons: Ring[][];
}

const position = z.tuple([z.number(), z.number()]).rest(z.number());
const ring = z.array(position).min(4);
const geometry = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1)).min(1) }),
]);
const collection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.object({ type: z.literal('Feature'), properties: z.object({ district: z.string() }), geometry })),
});

/**
 * Reads district boundaries from a GeoJSON FeatureCollection whose features carry
 * `properties.district` (a district id of the domain file).
 */
export function loadBoundaries(path: string, districtIds: readonly string[]): DistrictBoundary[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(path, [`cannot read GeoJSON: ${(error as Error).message}`]);
  }
  const parsed = collection.safeParse(raw);
  if (!parsed.success)
    throw new ConfigError(
      path,
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    );
  const unknown = parsed.data.features.map((f) => f.properties.district).filter((d) => !districtIds.includes(d));
  if (unknown.length > 0)
    throw new ConfigError(
      path,
      unknown.map((d) => `unknown district "${d}"`),
    );
  return parsed.data.features.map((f) => ({
    district: f.properties.district,
    polygons: (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates).map((rings) =>
      rings.map((r) => r.map((p) => [p[0] as number, p[1] as number] as [number, number])),
    ),
  }));
}
