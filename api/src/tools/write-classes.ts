/**
 * Writes model/classes.json, the detector's class list, from the card table:
 * label 0 is background, 1..31 the cards' upright top-left corners, 32..62 the
 * same corners rotated 180 degrees (the bottom-right index of a card, or any
 * corner of an upside-down photo). The training code reads this file; a test
 * checks it still matches the table.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { detectorClasses } from '../vision/classes.js';

const target = fileURLToPath(new URL('../../../model/classes.json', import.meta.url));
writeFileSync(target, JSON.stringify(detectorClasses(), null, 2) + '\n');
console.log(`wrote ${target}`);
