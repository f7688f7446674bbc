/**
 * The "predict the output" puzzle as plain data: the lines a program prints, in the order the
 * reader has put them. The answer is the recorded order (line i of the recording is line i), so
 * an order is a permutation of 0…n-1 and it is right when it is 0, 1, …, n-1. Framework-free.
 */

/** A hash of a string, for a starting order that is the same on every visit and every build. */
function seedOf(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash >>> 0;
}

/** mulberry32: a small generator whose sequence depends only on its seed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The order the lines are first shown in: shuffled by `seed` (the exercise's id), never the answer
 * itself, and with no line in its right place when that is possible, so the puzzle never starts
 * half solved.
 */
export function startingOrder(count: number, seed: string): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  if (count < 2) return order;
  const next = random(seedOf(seed));
  for (let attempt = 0; attempt < 50; attempt++) {
    for (let i = count - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    if (order.every((line, place) => line !== place)) return order;
  }
  // A rotation by one: every line is out of place.
  return order.map((_, place) => (place + 1) % count);
}

/** The order with the line at `place` moved one place up (-1) or down (+1); unchanged at an end. */
export function move(order: readonly number[], place: number, delta: -1 | 1): number[] {
  const to = place + delta;
  const next = [...order];
  if (place < 0 || place >= order.length || to < 0 || to >= order.length) return next;
  [next[place], next[to]] = [next[to], next[place]];
  return next;
}

export interface Grade {
  correct: boolean;
  /** Lines in their right place. */
  inPlace: number;
  count: number;
}

export function grade(order: readonly number[]): Grade {
  const inPlace = order.filter((line, place) => line === place).length;
  return { correct: inPlace === order.length, inPlace, count: order.length };
}

/** `order` is a permutation of 0…count-1 (a saved order is checked before it is trusted). */
export function isOrderOf(order: unknown, count: number): order is number[] {
  if (!Array.isArray(order) || order.length !== count) return false;
  const seen = new Set<number>();
  for (const line of order) {
    if (!Number.isInteger(line) || line < 0 || line >= count || seen.has(line)) return false;
    seen.add(line);
  }
  return true;
}
