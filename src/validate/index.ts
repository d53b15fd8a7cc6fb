// Filled in by the validate work; exports this area's public API.
export {};
