// Runs every benchmark area in one process, one after another, and writes BENCHMARKS.md.
// `--quick` runs a short smoke pass that prints the tables and writes nothing (CI uses it).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describeMachine } from './lib/machine.js';
import { parseBenchOptions, renderArea, renderTable, renderTargets, type AreaReport, type BenchOptions } from './lib/report.js';

type Area = { name: string; load: () => Promise<{ run: (options: BenchOptions) => Promise<AreaReport> }> };

const areas: Area[] = [
  { name: 'jwt', load: () => import('./jwt.js') },
  { name: 'encrypt', load: () => import('./encrypt.js') },
  { name: 'password', load: () => import('./password.js') },
  { name: 'validate', load: () => import('./validate.js') },
  { name: 'pipeline', load: () => import('./pipeline.js') },
  { name: 'memory', load: () => import('./memory.js') },
];

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  const only = process.argv.slice(2).filter((argument) => !argument.startsWith('--'));
  const started = Date.now();
  const sections: string[] = [];
  const reports: AreaReport[] = [];
  const failures: string[] = [];

  for (const area of areas) {
    if (only.length > 0 && !only.includes(area.name)) {
      continue;
    }

    const areaStarted = Date.now();
    console.error(`bench: ${area.name} ...`);
    try {
      const report = await (await area.load()).run(options);
      const section = renderArea(report);
      sections.push(section);
      reports.push(report);
      console.log(`${section}\n`);
    } catch (error) {
      failures.push(area.name);
      console.error(`bench: ${area.name} failed: ${error instanceof Error ? error.stack : String(error)}`);
    }
    console.error(`bench: ${area.name} took ${((Date.now() - areaStarted) / 1000).toFixed(0)} s`);
  }

  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  console.error(`bench: done in ${minutes} min${failures.length > 0 ? `, failed: ${failures.join(', ')}` : ''}`);
  const targets = renderTargets(reports);
  console.log(targets);

  if (!options.quick && only.length === 0) {
    const page = [
      '# Benchmarks',
      '',
      `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} in ${minutes} minutes. Every ratio in a ` +
        'table comes from the same run, with the cases alternating within each round. Figures are medians, with ' +
        'the lowest and highest round in brackets.',
      '',
      renderTable(describeMachine()),
      '',
      '## Summary',
      '',
      targets,
      '',
      ...sections.flatMap((section) => [section, '']),
    ].join('\n');
    writeFileSync(fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url)), page);
  }

  if (failures.length > 0) {
    process.exitCode = 1;
  }
}

await main();
