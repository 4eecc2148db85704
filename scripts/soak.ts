/**
 * npm run soak: the long fault and load run against the local server on
 * loopback (SOAK_REQUESTS, default 5000, 200 at a time), then a SIGTERM under
 * load and the cold start. Prints the figures the README quotes.
 */
import { coldStartMs, restartUnderLoad, soak } from '../test/support/soak.js';

const requests = Number(process.env.SOAK_REQUESTS ?? 5000);
const concurrency = Number(process.env.SOAK_CONCURRENCY ?? 200);

const run = await soak({ requests, concurrency });
const restart = await restartUnderLoad(50);
const colds = [await coldStartMs(), await coldStartMs(), await coldStartMs()].sort((a, b) => a - b);
const growth = (run.after - run.before) / run.before;

console.log(`npm run soak  (${requests} mixed requests, ${concurrency} concurrent, plus a slow uploader and two clients hanging up mid-upload)`);
console.log(
  `  answered ${run.sent} in ${run.seconds.toFixed(1)} s of load (${(run.sent / run.seconds).toFixed(0)}/s), median ${run.medianMs.toFixed(0)} ms`,
);
console.log(`  server errors (5xx): ${run.serverErrors}   wrong answers: ${run.wrong.length}   failed connections: ${run.failedConnections}`);
console.log(`  shed (503 with Retry-After, then retried as told): ${run.shed}`);
console.log(
  `  server memory, settled: ${run.before.toFixed(0)} MB after the warm-up (${run.warmUpSizes.map((mb) => mb.toFixed(0)).join(', ')} MB after its ${run.warmUpSizes.length} rounds), then after each round of 400: ${run.sizes.map((mb) => mb.toFixed(0)).join(', ')} MB (${(100 * growth).toFixed(1)}%, limit 20%)`,
);
console.log(
  `  SIGTERM under load: exit ${restart.exitCode}; 5xx during ${restart.during.serverErrors}, wrong ${restart.during.wrong.length}; after restart ${restart.after.sent} answered, ${restart.after.wrong.length} wrong`,
);
console.log(`  cold start to first /api/cards answer: median ${colds[1]!.toFixed(0)} ms (of 3; target ≤ 2000 ms)`);
for (const line of run.wrong.slice(0, 5)) console.log(`  wrong: ${line}`);
const failed = run.serverErrors || run.wrong.length || !run.alive || growth > 0.2 || restart.exitCode !== 0 || restart.after.wrong.length;
process.exitCode = failed ? 1 : 0;
