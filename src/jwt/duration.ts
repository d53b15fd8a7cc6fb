import type { Duration } from './types.js';

const SECONDS_PER_UNIT: Readonly<Record<string, number>> = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
};

const DURATION_PATTERN =
  /^(\d+(?:\.\d+)?) ?(s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)$/i;

/**
 * Converts a duration to whole seconds: a number is taken as seconds, a string such as `'30s'`,
 * `'15m'`, `'2h'`, `'7d'` or `'1w'` is parsed. Returns `undefined` for anything else, negative
 * numbers included, so that the caller can name the option in its error.
 */
export function parseDurationSeconds(value: Duration): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  }

  if (typeof value !== 'string') {
    return undefined;
  }

  const match = DURATION_PATTERN.exec(value.trim());
  if (match === null) {
    return undefined;
  }

  const amount = Number(match[1]);
  const unit = (match[2] ?? 's').charAt(0).toLowerCase();
  return Math.round(amount * (SECONDS_PER_UNIT[unit] ?? 1));
}
