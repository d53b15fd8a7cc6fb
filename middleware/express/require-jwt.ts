// Filled in by the require-jwt work.
export {};
