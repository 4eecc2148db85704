// Says, in one line before the tests run, whether the shared test data is here:
// without ../shared/real-photos the tests that read the real photos are skipped.
import { existsSync } from 'node:fs';

const labels = new URL('../../shared/real-photos/labels.json', import.meta.url);
console.log(
  existsSync(labels)
    ? 'test data: ../shared/real-photos found: every test runs'
    : 'test data: ../shared/real-photos is absent: the tests that read the real photos are skipped (SKIP below)',
);
