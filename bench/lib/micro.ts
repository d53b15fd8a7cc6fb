import { Bench } from 'tinybench';

import { summarize, type Summary } from './stats.js';

/** One function to time; it may return a promise. */
export interface MicroCase {
  name: string;
  fn: () => unknown;
}

/** How long to time each case. */
export interface MicroSettings {
  rounds: number;
  timeMs: number;
  warmupMs: number;
}

export const MICRO_FULL: MicroSettings = { rounds: 5, timeMs: 700, warmupMs: 200 };
export const MICRO_QUICK: MicroSettings = { rounds: 1, timeMs: 60, warmupMs: 20 };

/**
 * Times each case in operations per second over several rounds. Within a round every case runs once,
 * in an order that rotates from round to round, so that drift in the machine's speed spreads over all
 * cases rather than landing on one.
 */
export async function measureMicro(cases: readonly MicroCase[], settings: MicroSettings): Promise<Map<string, Summary>> {
  const perRound = new Map<string, number[]>(cases.map((item) => [item.name, []]));

  for (let round = 0; round < settings.rounds; round += 1) {
    const order = cases.map((_, index) => cases[(index + round) % cases.length]!);
    const bench = new Bench({ time: settings.timeMs, warmupTime: settings.warmupMs });
    for (const item of order) {
      bench.add(item.name, item.fn);
    }
    await bench.run();

    for (const task of bench.tasks) {
      const result = task.result as { latency?: { mean: number }; error?: unknown } | undefined;
      if (result?.error !== undefined) {
        throw new Error(`benchmark case "${task.name}" failed: ${String(result.error)}`);
      }
      const meanMs = result?.latency?.mean ?? Number.NaN;
      perRound.get(task.name)!.push(1000 / meanMs);
    }
  }

  return new Map([...perRound].map(([name, values]) => [name, summarize(values)]));
}
