// Prints the figures of bench/canary-check.sh from the checks' report.json files.
//
//   node bench/canary-check.mjs <report.json>:<exit code>:<wall ms>...
import { readFileSync } from 'node:fs';

const checks = process.argv.slice(2).map((argument) => {
  const [file, code, wallMs] = argument.split(':');
  return { report: JSON.parse(readFileSync(file, 'utf8')), code: Number(code), wallMs: Number(wallMs) };
});

const median = (/** @type {number[]} */ values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
};
const ratio = (/** @type {number} */ value) => `x${value.toFixed(2)}`;

console.log('\n| check | exit | verdict | requests | tool s | command s | requests/s | read steps | re-measured | p50 ratio median (min-max) | p95 ratio median (min-max) | largest p50 ratio |');
console.log('|---|---|---|---:|---:|---:|---:|---:|---:|---|---|---|');
checks.forEach(({ report, code, wallMs }, index) => {
  if (report.latency.length === 0) {
    console.log(`| ${index + 1} | ${code} | ${report.verdict}: ${report.reason} | ${report.requests} | ${(report.duration_ms / 1000).toFixed(1)} | ${(wallMs / 1000).toFixed(1)} | | | | | | |`);
    return;
  }
  const p50 = report.latency.map((/** @type {any} */ step) => step.p50_ratio);
  const p95 = report.latency.map((/** @type {any} */ step) => step.p95_ratio);
  const largest = report.latency.reduce((/** @type {any} */ a, /** @type {any} */ b) => (b.p50_ratio > a.p50_ratio ? b : a));
  const slower = `${ratio(largest.p50_ratio)}: ${largest.step}, ${(largest.canary_p50_ms - largest.stable_p50_ms).toFixed(1)} ms`;
  console.log(`| ${index + 1} | ${code} | ${report.verdict} | ${report.requests} | ${(report.duration_ms / 1000).toFixed(1)} | ${(wallMs / 1000).toFixed(1)} | ${Math.round(report.requests / (report.duration_ms / 1000))} | ${report.latency.length} | ${report.latency.filter((/** @type {any} */ step) => step.remeasured).length} | ${ratio(median(p50))} (${ratio(Math.min(...p50))}-${ratio(Math.max(...p50))}) | ${ratio(median(p95))} (${ratio(Math.min(...p95))}-${ratio(Math.max(...p95))}) | ${slower} |`);
});

for (const [index, { report }] of checks.entries()) {
  for (const regression of report.regressions) console.log(`check ${index + 1}: ${regression.kind} in '${regression.step}': ${regression.detail}`);
}

const last = checks.findLast(({ report }) => report.latency.length > 0)?.report ?? { latency: [] };
console.log(`\nper read step, the last check that timed any (ms):\n`);
console.log('| step | pairs | stable p50 | canary p50 | p50 ratio | stable p95 | canary p95 | p95 ratio |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const step of last.latency) {
  console.log(`| ${step.step} | ${step.pairs}${step.remeasured ? ' (2nd)' : ''} | ${step.stable_p50_ms.toFixed(1)} | ${step.canary_p50_ms.toFixed(1)} | ${ratio(step.p50_ratio)} | ${step.stable_p95_ms.toFixed(1)} | ${step.canary_p95_ms.toFixed(1)} | ${ratio(step.p95_ratio)} |`);
}
