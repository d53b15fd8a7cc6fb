#!/usr/bin/env node
// Filled in by the CLI work.
export {};
