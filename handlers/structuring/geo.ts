import type { DistrictBoundary } from '../../config/boundaries.js';

/** Ray casting: is the point inside the ring? */
function inRing(lon: number, lat: number, ring: readonly [number, number][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** The districts whose boundary contains the point (holes excluded); usually one, none outside the city. */
export function districtsAt(boundaries: readonly DistrictBoundary[], point: { lat: number; lon: number }): string[] {
  const found = boundaries.filter((b) =>
    b.polygons.some(
      ([outer, ...holes]) =>
        outer !== undefined && inRing(point.lon, point.lat, outer) && !holes.some((h) => inRing(point.lon, point.lat, h)),
    ),
  );
  return [...new Set(found.map((b) => b.district))];
}
