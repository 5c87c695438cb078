// Puts a run's stops in a sensible order: nearest neighbour, then 2-opt, on great-circle (haversine) distances. Pure:
// no database, no clock, so it is tested against the exact optimum by brute force (tests/api/route-optimiser.test.ts).

export interface Point {
  lat: number;
  lng: number;
}

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Metres between two points along the earth's surface: a van's road distance is longer, but in proportion. */
export function haversineM(a: Point, b: Point): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Metres along the stops in the given order, from `start` when there is one (the depot), ending at the last stop. */
export function pathLengthM(points: Point[], order: number[], start?: Point | null): number {
  let total = 0;
  let previous: Point | null = start ?? null;
  for (const i of order) {
    if (previous) total += haversineM(previous, points[i]);
    previous = points[i];
  }
  return total;
}

export interface OptimisedRoute {
  /** Indexes into the points given, in visiting order. */
  order: number[];
  distance_m: number;
}

/**
 * The stops in a short order from `start` (the depot; a run ends at its last drop). Without a start the first stop is
 * free too: nearest neighbour is tried from every stop and 2-opt may reverse the head of the path. O(n^3) at worst
 * per improving pass, fine for a run's few dozen stops.
 */
export function optimiseRoute(points: Point[], start?: Point | null): OptimisedRoute {
  const n = points.length;
  if (n === 0) return { order: [], distance_m: 0 };
  // Node n is the start when there is one; d is the full matrix, computed once.
  const nodes = start ? [...points, start] : points;
  const d = nodes.map((a) => nodes.map((b) => haversineM(a, b)));

  const nearestFrom = (first: number, taken: boolean[]): number[] => {
    const seq = [first];
    const used = [...taken];
    used[first] = true;
    for (let k = 1; k < n + (start ? 1 : 0); k++) {
      const last = seq[seq.length - 1];
      let best = -1;
      for (let j = 0; j < n; j++) if (!used[j] && (best < 0 || d[last][j] < d[last][best])) best = j;
      if (best < 0) break;
      used[best] = true;
      seq.push(best);
    }
    return seq;
  };
  const length = (seq: number[]) => seq.reduce((sum, node, k) => (k ? sum + d[seq[k - 1]][node] : 0), 0);

  let seq: number[];
  if (start) {
    seq = nearestFrom(n, new Array(n + 1).fill(false));
  } else {
    seq = nearestFrom(0, new Array(n).fill(false));
    for (let first = 1; first < n; first++) {
      const candidate = nearestFrom(first, new Array(n).fill(false));
      if (length(candidate) < length(seq)) seq = candidate;
    }
  }

  // 2-opt on an open path: reversing seq[i..j] replaces the edges (i-1, i) and (j, j+1) by (i-1, j) and (i, j+1);
  // an edge past either end does not exist (costs nothing). The start, when fixed, is never moved.
  const edge = (a: number, b: number) => (a < 0 || b < 0 ? 0 : d[a][b]);
  const from = start ? 1 : 0;
  let improved = true;
  while (improved) {
    improved = false;
    for (let i = from; i < seq.length - 1; i++) {
      for (let j = i + 1; j < seq.length; j++) {
        const before = i > 0 ? seq[i - 1] : -1;
        const after = j + 1 < seq.length ? seq[j + 1] : -1;
        const delta = edge(before, seq[j]) + edge(seq[i], after) - edge(before, seq[i]) - edge(seq[j], after);
        if (delta < -1e-7) {
          seq = [...seq.slice(0, i), ...seq.slice(i, j + 1).reverse(), ...seq.slice(j + 1)];
          improved = true;
        }
      }
    }
  }
  const order = start ? seq.slice(1) : seq;
  return { order, distance_m: pathLengthM(points, order, start) };
}
