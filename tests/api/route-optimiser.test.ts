import fc from 'fast-check';
import { expect, test } from 'vitest';
import { haversineM, optimiseRoute, pathLengthM, type Point } from '../../api/modules/field/route-optimiser.js';

// The route optimiser (nearest neighbour then 2-opt) against the exact optimum, found by trying every order, on random
// runs of up to 9 stops around a Bengaluru depot (issue 15: within 5% on average).

/** The shortest open path from start through every point: all n! orders, summed incrementally. */
function bruteForce(points: Point[], start: Point | null): number {
  const n = points.length;
  const d = points.map((a) => points.map((b) => haversineM(a, b)));
  const fromStart = points.map((p) => (start ? haversineM(start, p) : 0));
  let best = Infinity;
  const used = new Array(n).fill(false);
  const walk = (last: number, depth: number, sum: number) => {
    if (sum >= best) return;
    if (depth === n) {
      best = sum;
      return;
    }
    for (let j = 0; j < n; j++) {
      if (used[j]) continue;
      used[j] = true;
      walk(j, depth + 1, sum + (last < 0 ? fromStart[j] : d[last][j]));
      used[j] = false;
    }
  };
  walk(-1, 0, 0);
  return n === 0 ? 0 : best;
}

// Stops within about 4 km of a depot in Koramangala, as a zone's run is.
const point = fc.record({ lat: fc.double({ min: 12.9, max: 12.97, noNaN: true }), lng: fc.double({ min: 77.59, max: 77.66, noNaN: true }) });
const run = fc.record({ points: fc.array(point, { minLength: 1, maxLength: 9 }), withDepot: fc.boolean() });
const depot: Point = { lat: 12.9352, lng: 77.6245 };

test('haversine: a degree of latitude is about 111 km, and the distance is symmetric', () => {
  expect(haversineM({ lat: 12, lng: 77 }, { lat: 13, lng: 77 })).toBeCloseTo(111_195, -2);
  expect(haversineM({ lat: 12.9, lng: 77.6 }, { lat: 12.95, lng: 77.65 })).toBeCloseTo(haversineM({ lat: 12.95, lng: 77.65 }, { lat: 12.9, lng: 77.6 }), 6);
  expect(haversineM(depot, depot)).toBe(0);
});

test('every stop is visited once, and the distance answered is the length of the order answered', () => {
  fc.assert(
    fc.property(run, ({ points, withDepot }) => {
      const start = withDepot ? depot : null;
      const r = optimiseRoute(points, start);
      expect([...r.order].sort((a, b) => a - b)).toEqual(points.map((_, i) => i));
      expect(r.distance_m).toBeCloseTo(pathLengthM(points, r.order, start), 6);
      // Never worse than the order the stops came in.
      expect(r.distance_m).toBeLessThanOrEqual(pathLengthM(points, points.map((_, i) => i), start) + 1e-6);
    }),
    { numRuns: 300, seed: 15 },
  );
});

for (const [label, arb] of [
  ['1-9 stops', run],
  ['exactly 9 stops', fc.record({ points: fc.array(point, { minLength: 9, maxLength: 9 }), withDepot: fc.boolean() })],
] as const) {
  test(`within 5% of the exact optimum on average, ${label} (brute force over every order)`, () => {
    const ratios: number[] = [];
    fc.assert(
      fc.property(arb, ({ points, withDepot }) => {
        const start = withDepot ? depot : null;
        const optimum = bruteForce(points, start);
        const found = optimiseRoute(points, start).distance_m;
        expect(found).toBeGreaterThanOrEqual(optimum - 1e-6);
        ratios.push(optimum > 0 ? found / optimum : 1);
      }),
      { numRuns: 200, seed: 2026 },
    );
    const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
    const worst = Math.max(...ratios);
    const exact = ratios.filter((r) => r < 1 + 1e-9).length;
    console.log(`route optimiser vs brute force, ${ratios.length} runs of ${label}: mean ${((mean - 1) * 100).toFixed(2)}% over the optimum, worst ${((worst - 1) * 100).toFixed(2)}%, exact in ${exact}`);
    expect(mean).toBeLessThan(1.05);
  });
}

test('no stops, one stop, and stops at one place', () => {
  expect(optimiseRoute([], depot)).toEqual({ order: [], distance_m: 0 });
  expect(optimiseRoute([depot], null)).toEqual({ order: [0], distance_m: 0 });
  const same = [depot, depot, depot];
  expect(optimiseRoute(same, depot).distance_m).toBe(0);
});
