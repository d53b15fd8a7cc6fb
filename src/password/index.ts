// Filled in by the password work; exports this area's public API.
export {};
