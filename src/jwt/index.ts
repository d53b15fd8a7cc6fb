// Filled in by the jwt work; exports this area's public API.
export {};
