import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** One table of an area's report. */
export interface Table {
  caption: string;
  columns: string[];
  rows: string[][];
}

/** What one area script returns: its tables and the notes that explain them. */
export interface AreaReport {
  title: string;
  tables: Table[];
  notes: string[];
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
