// Filled in by the requireJwt work; exports the token denylist stores.
export {};
