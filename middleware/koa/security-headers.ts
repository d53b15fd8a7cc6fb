// Filled in by the security-headers work.
export {};
