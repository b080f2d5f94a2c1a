#!/usr/bin/env node
/**
 * Runs the benchmarks: every `bench/*.bench.ts`, or the ones named on the command line
 * (`node bench/run.ts insert-batch`). Prints each result table and writes
 * `bench/results/<name>.json`.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatTable, type BenchResult, type Benchmark } from './lib.ts';

const dir = fileURLToPath(new URL('.', import.meta.url));

async function main(argv: string[]): Promise<number> {
  const all = (await readdir(dir)).filter((f) => f.endsWith('.bench.ts')).sort();
  const wanted = argv.length ? argv.map((a) => basename(a).replace(/\.bench\.ts$/, '')) : all.map((f) => f.replace(/\.bench\.ts$/, ''));
  const unknown = wanted.filter((w) => !all.includes(`${w}.bench.ts`));
  if (unknown.length) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${all.map((f) => f.replace(/\.bench\.ts$/, '')).join(', ')}`);
    return 2;
  }
  await mkdir(join(dir, 'results'), { recursive: true });
  for (const name of wanted) {
    const mod = (await import(pathToFileURL(join(dir, `${name}.bench.ts`)).href)) as { default: Benchmark };
    const started = Date.now();
    const result: BenchResult = await mod.default();
    console.log(`\n## ${name}: ${result.title}\n`);
    console.log(formatTable(result.rows));
    if (result.meta?.notes) console.log(`\n${String(result.meta.notes)}`);
    const file = join(dir, 'results', `${name}.json`);
    const record = { name, ...result, ranAt: new Date(started).toISOString(), durationMs: Date.now() - started, node: process.version };
    await writeFile(file, JSON.stringify(record, null, 2) + '\n');
    console.log(`\n(written to ${file})`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
