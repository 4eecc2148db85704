/**
 * A fan's geometry from its corners (api/src/vision/fan.ts): the pivot, the
 * step between cards, and where one more card past each end would be.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fanStep, fitFan, leansOnArc, pastTheEnds, placeOnFan } from '../../api/src/vision/fan.js';

const deg = Math.PI / 180;
/** Three corners in a straight row: cards laid on a table, not a fan. */
const ROW: [number, number][] = [
  [100, 100],
  [160, 100],
  [220, 100],
];

/** Corners on an arc of `radius` about (x, y), at these leans (degrees, positive leaning right). */
function arc(x: number, y: number, radius: number, leans: number[]): [number, number][] {
  return leans.map((lean) => [x + radius * Math.sin(lean * deg), y - radius * Math.cos(lean * deg)]);
}

test('a fan: its pivot, its step, and each card lean from corners on an arc', () => {
  const fan = fitFan(arc(320, 560, 300, [-30, -15, 0, 15, 30]), 60)!;
  assert.ok(fan, 'five corners on an arc are a fan');
  assert.ok(Math.abs(fan.x - 320) < 1e-6 && Math.abs(fan.y - 560) < 1e-6, `pivot ${fan.x}, ${fan.y}`);
  assert.ok(Math.abs(fan.step - 15 * deg) < 1e-9, `step ${fan.step / deg}°`);
  assert.deepEqual(
    fan.cards.map((c) => Math.round(c.lean / deg)),
    [-30, -15, 0, 15, 30],
  );
});

test('past the ends: one step further along the arc, leaning one step more', () => {
  // Given in any order, with a card missing in the middle: the step is the usual gap, not the double one.
  const fan = fitFan(arc(300, 700, 400, [10, -20, 0, -10, 20, 40]), 60)!;
  const [left, right] = pastTheEnds(fan);
  assert.equal(left!.side, 'left');
  assert.ok(Math.abs(left!.lean / deg + 30) < 1e-6, `left lean ${left!.lean / deg}`);
  assert.ok(Math.abs(right!.lean / deg - 50) < 1e-6, `right lean ${right!.lean / deg}`);
  const [lx, ly] = arc(300, 700, 400, [-30])[0]!;
  const [rx, ry] = arc(300, 700, 400, [50])[0]!;
  assert.ok(Math.hypot(left!.x - lx, left!.y - ly) < 1e-6, 'left corner on the arc');
  assert.ok(Math.hypot(right!.x - rx, right!.y - ry) < 1e-6, 'right corner on the arc');
});

test('no fan: fewer than three corners, a straight row, a pivot above, or an arc too flat to tell leans', () => {
  assert.equal(fitFan(arc(320, 560, 300, [-10, 10]), 60), undefined, 'two corners');
  assert.equal(fitFan(ROW, 60), undefined, 'a straight row');
  const below = arc(320, 100, 200, [170, 180, 190]);
  assert.equal(fitFan(below, 60), undefined, 'corners below their pivot: no hand held upright');
  assert.equal(fitFan(arc(320, 5000, 4800, [-1, 0, 1]), 60), undefined, 'a pivot 80 corners away');
});

test("a wide fan's outer cards past 90°, below the pivot: its leans, its step; none for a row or a pivot above", () => {
  const leans = leansOnArc(arc(300, 400, 150, [-118, -90, -60, -30, 0, 30, 60, 90, 100]), 40)!;
  assert.deepEqual(
    leans.map((lean) => Math.round(lean / deg)),
    [-118, -90, -60, -30, 0, 30, 60, 90, 100],
  );
  // The looks past the ends use the same fan: its step is what most neighbours show (30°), not
  // the divisor (10°) the two cards stacked at its right end would make of every gap.
  const wide = fitFan(arc(300, 400, 150, [-118, -90, -60, -30, 0, 30, 60, 90, 100]), 40)!;
  assert.ok(Math.abs(wide.step - 30 * deg) < 1e-6, `step ${wide.step / deg}°`);
  const [left] = pastTheEnds(wide);
  assert.ok(Math.abs(left!.lean / deg + 148) < 1e-6, `one step past the left end, below the pivot: ${left!.lean / deg}°`);
  assert.equal(leansOnArc(ROW, 60), undefined, 'a straight row');
  assert.equal(leansOnArc(arc(320, 100, 200, [170, 180, 190]), 60), undefined, 'a pivot above the corners');
  assert.equal(leansOnArc(arc(320, 5000, 4800, [-1, 0, 1]), 60), undefined, 'an arc too flat to tell leans');
});

test('a place on the fan: a gap wide enough for a missed card, or a step past an end, on the arc', () => {
  // Steps of 15°, one card (0°) missed: the gap from -15° to 15° holds it.
  const fan = fitFan(arc(320, 560, 300, [-30, -15, 15, 30]), 60)!;
  const at = (lean: number, radius = 300) => arc(320, 560, radius, [lean])[0]!;
  assert.equal(placeOnFan(fan, at(0), 60), 'gap', 'where the missed card is');
  assert.equal(placeOnFan(fan, at(3, 340), 60), 'gap', 'a little off: the cards of a real fan are not evenly spaced');
  assert.equal(placeOnFan(fan, at(-45), 60), 'left', 'a step past the left end');
  assert.equal(placeOnFan(fan, at(45), 60), 'right', 'a step past the right end');
  assert.equal(placeOnFan(fan, at(0, 420), 60), undefined, 'two corner lengths off the arc');
  assert.equal(placeOnFan(fan, at(-20), 60), undefined, 'too near a card read: its corner seen twice');
  assert.equal(placeOnFan(fan, at(-22.5), 60), undefined, 'between neighbours one step apart: no room');
  assert.equal(placeOnFan(fan, at(-65), 60), undefined, 'two steps past the end: no card of this fan');
});

test('the step when many cards were missed: the widest angle every gap is a whole number of, not the median gap', () => {
  // Nine cards 10° apart, four of them missed (N O _ _ IN _ _ Q N): gaps of 1, 3, 3, 1 steps, median 2.
  const fan = fitFan(arc(400, 600, 300, [-40, -30, 0, 30, 40]), 40)!;
  assert.ok(Math.abs(fan.step - 10 * deg) < 1e-9, `step ${fan.step / deg}°`);
  const at = (lean: number) => arc(400, 600, 300, [lean])[0]!;
  for (const missed of [-20, -10, 10, 20]) assert.equal(placeOnFan(fan, at(missed), 40), 'gap', `the card missed at ${missed}°`);
  // Uneven real fans: gaps within 0.3 of a whole step count as that many steps; the step is the single gaps' median.
  assert.ok(Math.abs(fanStep([1.1, 0.9, 2.1, 1]) - 1) < 1e-9);
  assert.equal(fanStep([2, 2]), 2, 'an even fan');
  // No two corners read side by side: any small divisor of the gaps would fit, so the median gap stands.
  assert.equal(fanStep([2, 3]), 3);
  // Gaps that are no whole numbers of one step: the median gap.
  assert.equal(fanStep([1, 1.5]), 1.5);
});
