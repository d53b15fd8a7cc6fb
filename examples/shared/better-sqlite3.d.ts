// better-sqlite3 12 ships no type declarations and @types/better-sqlite3 is not installed, so the
// examples declare the part of its API that they call.
declare module 'better-sqlite3' {
  interface RunResult {
    changes: number;
    lastInsertRowid: number | bigint;
  }

  interface Statement<Row = unknown> {
    run(...parameters: unknown[]): RunResult;
    get(...parameters: unknown[]): Row | undefined;
    all(...parameters: unknown[]): Row[];
  }

  interface DatabaseOptions {
    readonly?: boolean;
    fileMustExist?: boolean;
    timeout?: number;
  }

  class Database {
    constructor(filename: string, options?: DatabaseOptions);
    prepare<Row = unknown>(source: string): Statement<Row>;
    exec(source: string): this;
    pragma(source: string, options?: { simple?: boolean }): unknown;
    transaction<Arguments extends unknown[], Result>(
      body: (...parameters: Arguments) => Result,
    ): (...parameters: Arguments) => Result;
    close(): this;
    readonly open: boolean;
  }

  export default Database;
  export type { Database, Statement, RunResult };
}
