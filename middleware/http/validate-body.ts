import type { IncomingMessage } from 'node:http';

import type { InferOutput, Schema } from '../../src/validate/index.js';
import { assertSafeStructure } from './body.js';
import { hasParsedBody, readBody } from './read-body.js';
import { resolveBodyOptions, type BodySettings, type ValidateBodyOptions } from './validate-options.js';
import { createPartValidator, type RequestPartValidator } from './validate-result.js';

/** The framework-neutral part of `validateBody`: settings, the body reader and the validator. */
export interface BodyValidation<Output> {
  readonly settings: BodySettings;
  /** Returns the body that a parser already put on the request after checking its structure, or reads and parses it. */
  body(request: IncomingMessage, parsedBody: unknown): unknown | Promise<unknown>;
  /** Validates a body and returns the schema's output, or throws 422. */
  readonly validate: RequestPartValidator<Output>;
}

/**
 * Checks the options and compiles the schema, once, when `validateBody` is called. A schema that
 * does not compile throws `ERR_SCHEMA_INVALID`; a bad option throws `ERR_OPTION_INVALID`.
 */
export function createBodyValidation<S extends Schema>(schema: S, options: ValidateBodyOptions): BodyValidation<InferOutput<S>> {
  const settings = resolveBodyOptions(options);
  const validate = createPartValidator(schema, 'body', { unknownKeys: settings.unknownKeys });

  return {
    settings,
    validate,
    body(request, parsedBody) {
      if (hasParsedBody(request, parsedBody)) {
        assertSafeStructure(parsedBody, settings.maxDepth);
        return parsedBody;
      }
      return readBody(request, settings);
    },
  };
}
