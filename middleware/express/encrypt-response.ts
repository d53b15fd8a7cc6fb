// Filled in by the encrypt-response work.
export {};
