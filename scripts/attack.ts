/**
 * npm run attack: issue 17's abuse run against the local server on loopback
 * (ATTACK_SHORT=1 for the CI form). Every class of costly or malformed input
 * with the status it must get and how fast; 16 worst-case photos at once with
 * the server's memory and the latency of /api/game and of a normal photo
 * meanwhile; 40 clients hanging up; a SIGTERM during the worst decodes.
 * Prints the figures the README quotes; exits 1 if any misses its target.
 */
import { attack, percentile } from '../test/support/attack.js';

const short = process.env.ATTACK_SHORT === '1';
// ATTACK_ALLOCATOR=default runs the server with glibc's allocator defaults, for comparison.
const run = await attack({ short, ...(process.env.ATTACK_ALLOCATOR === 'default' ? { allocator: {} } : {}) });
const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  if (!ok) failures.push(what);
  return ok ? '✔' : '✘';
};

console.log(`npm run attack${short ? ' (short form)' : ''}: each class once, on an idle server`);
for (const c of run.classes) {
  const ok = c.status === c.expected && c.ms < 1000 && c.nosniff && c.bytes < 2048;
  console.log(
    `  ${check(ok, c.name)} ${c.name.padEnd(48)} ${c.status} ${c.code ?? ''} in ${c.ms.toFixed(0)} ms (${c.bytes} B${c.nosniff ? ', nosniff' : ''})`,
  );
}
const slowest = Math.max(...run.classes.map((c) => c.ms));
const fiveHundreds = run.classes.filter((c) => c.status >= 500).length;
console.log(`  slowest answer ${slowest.toFixed(0)} ms (target < 1000); 5xx: ${fiveHundreds}`);

const { quiet } = run;
console.log(
  `/api/game on the quiet server, the seed hand: normal turn p50 ${percentile(quiet.turn, 50).toFixed(0)} ms, p99 ${percentile(quiet.turn, 99).toFixed(0)} ms; last turn p50 ${percentile(quiet.last, 50).toFixed(0)} ms, p99 ${percentile(quiet.last, 99).toFixed(0)} ms`,
);
for (const [i, f] of run.floods.entries()) {
  const statuses = Object.entries(f.answers.reduce<Record<number, number>>((n, a) => ({ ...n, [a.status]: (n[a.status] ?? 0) + 1 }), {})).map(
    ([status, n]) => `${n} × ${status}`,
  );
  const errors = f.answers.filter((a) => a.status >= 500 && a.status !== 503).length + f.probeStatuses.filter((s) => s >= 500).length;
  const gameP99 = percentile(f.gameMs, 99);
  const lastP99 = percentile(f.gameLastMs, 99);
  const cardsMax = Math.max(...f.cardsMs);
  console.log(
    `round ${i + 1}: ${f.answers.length} worst-case photos at once (25 MP progressive JPEG / interlaced RGBA PNG), ${f.seconds.toFixed(1)} s`,
  );
  const shed = f.answers.filter((a) => a.status === 503);
  const read = f.answers.filter((a) => a.status === 200);
  console.log(`  answers: ${statuses.join(', ')}; other 5xx: ${errors} ${check(errors === 0, 'no 5xx but 503 in the flood')}`);
  console.log(
    `  503s: ${shed.filter((a) => a.ms < 1000).length} at once (< 1 s), the rest after waiting (slowest ${(Math.max(0, ...shed.map((a) => a.ms)) / 1000).toFixed(1)} s), all with Retry-After ${check(
      shed.every((a) => a.retryAfter),
      '503 with Retry-After',
    )}; read: slowest ${(Math.max(0, ...read.map((a) => a.ms)) / 1000).toFixed(1)} s`,
  );
  console.log(
    `  server RSS: idle ${f.idleMb.toFixed(0)} MB, peak ${f.peakMb.toFixed(0)} MB ${check(f.peakMb <= 600, 'peak RSS ≤ 600 MB')}, ${f.settleSeconds} s later ${f.settledMb.toFixed(0)} MB (${((100 * (f.settledMb - f.idleMb)) / f.idleMb).toFixed(1)} %) ${check(f.settledMb <= f.idleMb * 1.1, 'RSS back within 10 %')}`,
  );
  console.log(
    `  meanwhile /api/game, the seed hand: normal turn ${f.gameMs.length} calls, p50 ${percentile(f.gameMs, 50).toFixed(0)} ms, p99 ${gameP99.toFixed(0)} ms ${check(gameP99 <= 100, '/api/game p99 ≤ 100 ms')}; last turn ${f.gameLastMs.length} calls, p50 ${percentile(f.gameLastMs, 50).toFixed(0)} ms, p99 ${lastP99.toFixed(0)} ms ${check(lastP99 <= 100, '/api/game last turn p99 ≤ 100 ms')}`,
  );
  console.log(
    `  meanwhile a normal /api/cards: ${f.cardsMs.length} calls, median ${percentile(f.cardsMs, 50).toFixed(0)} ms, max ${cardsMax.toFixed(0)} ms ${check(cardsMax <= 1000, 'normal /api/cards ≤ 1 s')}`,
  );
}

const { uploads, hangs, sigterm } = run;
const uploadStatuses = uploads.answers.map((a) => a.status);
const uploadsShed = uploads.answers.filter((a) => a.status === 503);
console.log(
  `${uploads.clients} uploads of 29 MB at once: ${uploadsShed.length} × 503 with Retry-After ${check(uploadsShed.length > 0 && uploadsShed.every((a) => a.retryAfter), 'uploads past the body budget shed')}, the rest ${[...new Set(uploadStatuses.filter((s) => s !== 503))].join('/')} ${check(
    uploadStatuses.every((s) => s === 503 || s === 413),
    'uploads answered 413 or 503',
  )}; peak RSS ${uploads.peakMb.toFixed(0)} MB ${check(uploads.peakMb <= 600, 'peak RSS ≤ 600 MB during the uploads')}`,
);
console.log(
  `hang-ups: ${hangs.clients} clients sent a photo and left at 0.3 s; ${hangs.goneLines} still had work (one log line each; what had not started was dropped), ${hangs.stackLines} stack-trace lines ${check(hangs.stackLines === 0, 'no stack traces for hang-ups')}; a photo right after: ${hangs.next.status} in ${hangs.next.ms.toFixed(0)} ms ${check(hangs.next.status === 200 && hangs.next.ms < 1000, 'abandoned work dropped')}`,
);
const unanswered = sigterm.statuses.filter((s) => typeof s !== 'number' || (s >= 500 && s !== 503));
console.log(
  `SIGTERM during the worst decodes: exit ${sigterm.exitCode} in ${sigterm.exitMs.toFixed(0)} ms ${check(sigterm.exitCode === 0 && sigterm.exitMs < 5000, 'exit 0 within 5 s')}; clients: ${sigterm.statuses.join(', ')} ${check(unanswered.length === 0, 'every client answered')}`,
);
console.log(`server still answering after it all: ${run.alive ? 'yes' : 'no'} ${check(run.alive, 'server alive after the run')}`);
if (failures.length) console.log(`missed: ${failures.join('; ')}`);
process.exitCode = failures.length ? 1 : 0;
