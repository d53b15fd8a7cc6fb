/** Creates a logger for tests that records every call, by level. */
export function recordingLogger() {
  const calls: Array<{ level: 'info' | 'warn' | 'error'; object: Record<string, unknown>; message?: string }> = [];
  const record = (level: 'info' | 'warn' | 'error') => (object: Record<string, unknown>, message?: string) => {
    calls.push({ level, object, message });
  };

  return {
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
    calls,
    events: (level: 'info' | 'warn' | 'error') => calls.filter((call) => call.level === level).map((call) => call.object),
    serialized: () => JSON.stringify(calls),
  };
}
