// The validate area: Standard Schema and JSON Schema validation with safe issues.
export { compileSchema, validate } from './compile.js';
export { MAX_ISSUES, MAX_PATH_KEY_LENGTH } from './issues.js';
export type {
  CompiledSchema,
  InferOutput,
  JsonSchema,
  Schema,
  UnknownKeys,
  ValidateOptions,
  ValidationIssue,
  ValidationResult,
} from './types.js';
