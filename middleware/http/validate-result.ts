import { compileSchema, type CompiledSchema, type InferOutput, type Schema, type ValidateOptions, type ValidationIssue, type ValidationResult } from '../../src/validate/index.js';
import { HttpError } from './errors.js';

/** The part of a request that a validator reads. */
export type RequestPart = 'body' | 'query';

/** A schema compiled for one request part: returns the output, or throws 422 `ERR_VALIDATION_FAILED`. */
export type RequestPartValidator<Output> = (value: unknown) => Output | Promise<Output>;

/**
 * Builds the 422 error for failed validation. Its `details.errors` contains the issues, which become
 * the `errors` member of the problem details (RFC 9457, section 3.2). Issues never contain a value
 * from the request, only keys, so nothing that a client sent is echoed back.
 */
export function validationFailed(issues: readonly ValidationIssue[], part: RequestPart): HttpError {
  const name = part === 'body' ? 'request body' : 'query string';
  const onlyUnknownKeys = issues.every((issue) => issue.code === 'unknown_key');
  const message = onlyUnknownKeys ? `The ${name} contains keys that the schema does not declare.` : `The ${name} is invalid.`;
  return new HttpError(422, 'ERR_VALIDATION_FAILED', message, { details: { errors: issues } });
}

/**
 * Compiles `schema` once and returns the function that validates one request part. The value it
 * receives is owned by the request, so defaults and stripped keys are applied in place, without a copy.
 */
export function createPartValidator<S extends Schema>(schema: S, part: RequestPart, options: ValidateOptions): RequestPartValidator<InferOutput<S>> {
  const compiled: CompiledSchema<InferOutput<S>> = compileSchema(schema, options);

  const settle = (result: ValidationResult<InferOutput<S>>): InferOutput<S> => {
    if (result.ok) {
      return result.value;
    }
    throw validationFailed(result.issues, part);
  };

  return (value) => {
    const result = compiled.run(value, true);
    return result instanceof Promise ? result.then(settle) : settle(result);
  };
}
