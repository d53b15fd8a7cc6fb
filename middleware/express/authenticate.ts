// Filled in by the authenticate work.
export {};
