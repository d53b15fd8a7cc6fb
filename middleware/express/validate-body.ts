// Filled in by the validate-body work.
export {};
