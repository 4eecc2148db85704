/** Small helpers shared by the benchmarks. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export interface Row {
  what: string;
  value: string;
  target?: string;
  ok?: boolean;
}

export function printTable(title: string, rows: Row[]): void {
  const width = Math.max(...rows.map((r) => r.what.length));
  console.log(`\n${title}`);
  for (const r of rows) {
    const verdict = r.ok === undefined ? '' : r.ok ? '  ok' : '  MISSED';
    console.log(`  ${r.what.padEnd(width)}  ${r.value.padStart(12)}${r.target ? `   target ${r.target}` : ''}${verdict}`);
  }
}
