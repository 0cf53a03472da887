/**
 * `npm run bench`: synth time and peak memory of the blog's topology with the library and written by
 * hand with L2s, of the demo (with its operations), and of
 * stacks of 1, 10 and 35 services. Each scenario runs in fresh processes, one warm-up then RUNS
 * measured runs; prints the table and writes docs/benchmark.md. A benchmark, not a test: nothing
 * here fails on timings.
 */
import { execFileSync } from 'child_process';
import { writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SCENARIOS } from './scenario';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const root = path.join(__dirname, '..', '..');

interface Run { ms: number; maxRssMb: number; resources: number[]; types: Record<string, number> }

function run(name: string): Run {
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'scenario.ts'), name], {
    cwd: root, encoding: 'utf8', env: { ...process.env, JSII_DEPRECATED: 'quiet' }, stdio: ['ignore', 'pipe', 'ignore'],
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (n: number) => n.toFixed(0);

const results: Record<string, { runs: Run[]; ms: number; spread: number; rss: number }> = {};
for (const name of Object.keys(SCENARIOS)) {
  run(name); // warm-up: file-system caches, ts-node's cache
  const runs = Array.from({ length: RUNS }, () => run(name));
  const ms = runs.map(r => r.ms);
  results[name] = { runs, ms: median(ms), spread: Math.max(...ms) - Math.min(...ms), rss: median(runs.map(r => r.maxRssMb)) };
  process.stderr.write(`${name}: ${fmt(results[name].ms)} ms\n`);
}

const lib = results['blog topology (library)'];
const hand = results['blog topology (hand-written L2s)'];
const ratio = lib.ms / hand.ms;
const sorted = (types: Record<string, number>) => JSON.stringify(Object.entries(types).sort());
const sameResources = sorted(lib.runs[0].types) === sorted(hand.runs[0].types);
const [t1, t10, t35] = ['1 service', '10 services', '35 services'].map(n => results[n].ms);
const perService = (t10 - t1) / 9;
const linearBound = 34 * perService * 1.2;

const lines = [
  '# Benchmark',
  '',
  `Synth time (construct + \`app.synth()\`) and peak memory (process max RSS) of each scenario: ${RUNS} runs, each in a`,
  'fresh process that first builds the scenario once untimed (module loading and JIT warm-up), then once timed;',
  'one extra warm-up process per scenario is discarded. Regenerate with `npm run bench`.',
  '',
  `Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
  '',
  '| Scenario | Synth time, median (ms) | Spread, max − min (ms) | Peak memory (MiB) | Resources per stack |',
  '| -------- | ----------------------: | ---------------------: | ----------------: | ------------------- |',
  ...Object.entries(results).map(([name, r]) =>
    `| ${name} | ${fmt(r.ms)} | ${fmt(r.spread)} | ${fmt(r.rss)} | ${r.runs[0].resources.join(' + ')} |`),
  '',
  '| Measure | Value | Target |',
  '| ------- | ----: | ------ |',
  `| Library / hand-written, blog topology synth time | ${ratio.toFixed(2)} | ≤ 1.10 ${ratio <= 1.1 ? '(met)' : '(**not met**)'} |`,
  `| Same resources, library and hand-written blog topology | ${sameResources ? 'yes' : '**no**'} | yes |`,
  `| Time per added service, (t10 − t1) / 9 | ${perService.toFixed(1)} ms | roughly constant |`,
  `| 35 services: t35 − t1 | ${fmt(t35 - t1)} ms | ≤ 34 × per-service × 1.2 = ${fmt(linearBound)} ms ${t35 - t1 <= linearBound ? '(met)' : '(**not met**)'} |`,
  `| Resources added per service (one scaling policy) | ${(results['10 services'].runs[0].resources[0] - results['1 service'].runs[0].resources[0]) / 9} | ≤ 12 |`,
  '',
];
const markdown = lines.join('\n');
writeFileSync(path.join(root, 'docs', 'benchmark.md'), markdown);
console.log(markdown);
