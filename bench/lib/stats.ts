/** Median, minimum and maximum of one case's per-round figures. */
export interface Summary {
  median: number;
  min: number;
  max: number;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) {
    return { median: Number.NaN, min: Number.NaN, max: Number.NaN };
  }

  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

/** Formats a rate with thousands separators and no decimals below 1,000 only where they matter. */
export function formatRate(value: number): string {
  if (!Number.isFinite(value)) {
    return 'n/a';
  }
  if (value >= 100) {
    return Math.round(value).toLocaleString('en-US');
  }
  return value.toFixed(value >= 10 ? 1 : 2);
}

export function formatSummary(summary: Summary): string {
  return `${formatRate(summary.median)} (${formatRate(summary.min)} to ${formatRate(summary.max)})`;
}

export function formatRatio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}x` : 'n/a';
}
