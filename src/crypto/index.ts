// Filled in by the crypto work; exports this area's public API.
export {};
