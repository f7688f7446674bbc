/** The "predict the output" puzzle: a starting order that is never solved, moves, grading. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { grade, isOrderOf, move, startingOrder } from '../src/exercises/predict.ts';

describe('predict puzzle', () => {
  it('starts shuffled the same way for the same exercise, with no line in its place', () => {
    for (let count = 2; count <= 12; count++) {
      for (const seed of ['21-gather-order', '23-yield-points', 'x']) {
        const order = startingOrder(count, seed);
        assert.ok(isOrderOf(order, count), `${seed}/${count}: a permutation`);
        assert.deepEqual(startingOrder(count, seed), order, 'the same on every visit');
        assert.ok(order.every((line, place) => line !== place), `${seed}/${count}: ${order} has a line in place`);
        assert.equal(grade(order).correct, false);
      }
    }
    assert.notDeepEqual(startingOrder(8, 'a'), startingOrder(8, 'b'), 'another exercise, another order');
  });

  it('moves a line one place and leaves the ends alone', () => {
    assert.deepEqual(move([2, 0, 1], 1, -1), [0, 2, 1]);
    assert.deepEqual(move([2, 0, 1], 1, 1), [2, 1, 0]);
    assert.deepEqual(move([2, 0, 1], 0, -1), [2, 0, 1]);
    assert.deepEqual(move([2, 0, 1], 2, 1), [2, 0, 1]);
  });

  it('grades by the lines in their place', () => {
    assert.deepEqual(grade([0, 1, 2]), { correct: true, inPlace: 3, count: 3 });
    assert.deepEqual(grade([0, 2, 1]), { correct: false, inPlace: 1, count: 3 });
  });

  it('refuses a saved order that is not a permutation of the lines', () => {
    assert.equal(isOrderOf([0, 1, 1], 3), false);
    assert.equal(isOrderOf([0, 1], 3), false);
    assert.equal(isOrderOf([0, 1, 3], 3), false);
    assert.equal(isOrderOf('0,1,2', 3), false);
    assert.equal(isOrderOf([0, 1.5, 2], 3), false);
  });
});
