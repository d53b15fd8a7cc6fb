// Filled in by the jwe work; exports this area's public API.
export {};
