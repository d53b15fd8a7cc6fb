import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** One table of an area's report. */
export interface Table {
  caption: string;
  columns: string[];
  rows: string[][];
}

/** One speed target, checked against this run's figures. */
export interface TargetResult {
  measure: string;
  target: string;
  measured: string;
  met: boolean;
  /** For a missed target: what this run shows bounds it. */
  bound?: string;
}

/** The result of one area script: its tables, the notes that explain them, and its targets. */
export interface AreaReport {
  title: string;
  tables: Table[];
  notes: string[];
  targets?: TargetResult[];
}

/** Renders every area's targets as one table, with the bound of each missed target below it. */
export function renderTargets(reports: readonly AreaReport[]): string {
  const targets = reports.flatMap((report) => report.targets ?? []);
  const table = renderTable({
    caption: 'Targets',
    columns: ['measure', 'target', 'this run', 'result'],
    rows: targets.map((target) => [target.measure, target.target, target.measured, target.met ? 'met' : 'missed']),
  });
  const bounds = targets
    .filter((target) => !target.met && target.bound !== undefined)
    .map((target) => `- ${target.measure}: ${target.bound}`);
  return bounds.length > 0 ? `${table}

What bounds the missed targets:

${bounds.join('\n')}` : table;
}

export function renderTable(table: Table): string {
  const lines = [
    `**${table.caption}**`,
    '',
    `| ${table.columns.join(' | ')} |`,
    `| ${table.columns.map(() => '---').join(' | ')} |`,
    ...table.rows.map((row) => `| ${row.join(' | ')} |`),
  ];
  return lines.join('\n');
}

export function renderArea(report: AreaReport): string {
  const parts = [`## ${report.title}`, ...report.tables.map(renderTable)];
  if (report.notes.length > 0) {
    parts.push(report.notes.map((note) => `- ${note}`).join('\n'));
  }
  return parts.join('\n\n');
}

/** Options every area script takes. */
export interface BenchOptions {
  /** A short smoke run (CI): few rounds, short durations, numbers not meant to be read. */
  quick: boolean;
}

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  return { quick: argv.includes('--quick') };
}

/** Runs an area script on its own when it is the entry module, printing its tables. */
export async function runStandalone(
  moduleUrl: string,
  run: (options: BenchOptions) => Promise<AreaReport>,
): Promise<void> {
  const entry = process.argv[1];
  if (entry === undefined || pathToFileURL(resolve(entry)).href !== moduleUrl) {
    return;
  }

  const report = await run(parseBenchOptions(process.argv.slice(2)));
  console.log(renderArea(report));
}
