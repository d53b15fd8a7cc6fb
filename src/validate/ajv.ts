import { Ajv, type AnySchemaObject } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

import { BulwarkError } from '../errors.js';

/** The JSON Schema drafts that bulwark compiles, chosen by the schema's `$schema`. */
export type JsonSchemaDraft = '2020-12' | 'draft-07';

const DRAFT_2020_12 = /^https?:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/;
const DRAFT_07 = /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/;

// ajv-formats is CommonJS with a `default` property; under ESM the import may be either shape.
type FormatsPlugin = (ajv: Ajv2020 | Ajv2019) => unknown;
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? (addFormatsModule as unknown as FormatsPlugin);

// ajv's draft-07 class loads the draft-07 meta-schema itself. Taking it from there avoids a JSON
// import, which needs import attributes in ESM and so a newer Node.js 20 release.
let draft07MetaSchema: AnySchemaObject | undefined;
function draft07Meta(): AnySchemaObject {
  draft07MetaSchema ??= new Ajv().getSchema('http://json-schema.org/draft-07/schema')!.schema as AnySchemaObject;
  return draft07MetaSchema;
}

/** Reads the draft from `$schema`: draft 2020-12 when it is absent, an error for any draft but these two. */
export function draftOf(schema: Readonly<Record<string, unknown>>): JsonSchemaDraft {
  const declared = schema.$schema;
  if (declared === undefined || (typeof declared === 'string' && DRAFT_2020_12.test(declared))) {
    return '2020-12';
  }
  if (typeof declared === 'string' && DRAFT_07.test(declared)) {
    return 'draft-07';
  }
  throw new BulwarkError(
    'ERR_SCHEMA_INVALID',
    'The JSON Schema "$schema" must be draft 2020-12 (https://json-schema.org/draft/2020-12/schema) or draft-07 (http://json-schema.org/draft-07/schema#).',
  );
}

/**
 * Creates an ajv 8 instance for one schema. Each schema gets its own instance, so two schemas with
 * the same `$id` do not collide and a schema's compiled code is freed with it.
 *
 * - `strict: true` rejects unknown keywords, ignored keywords and type mistakes at setup, so a typo
 *   in a schema cannot silently accept everything.
 * - `allErrors: true` reports every failing keyword and every unknown key. The cost is bounded by
 *   the body size limit of the middleware.
 * - Draft-07 runs on ajv's draft 2019-09 class with the draft-07 meta-schema, because that class
 *   supports `unevaluatedProperties`, which the unknown-key check adds.
 */
export function createAjv(draft: JsonSchemaDraft, coerceTypes: boolean | 'array'): Ajv2020 | Ajv2019 {
  const options = {
    strict: true,
    allErrors: true,
    useDefaults: true,
    allowUnionTypes: true,
    coerceTypes,
    unevaluated: true,
  } as const;

  const ajv = draft === '2020-12' ? new Ajv2020(options) : new Ajv2019(options);
  if (draft === 'draft-07') {
    ajv.addMetaSchema(draft07Meta());
  }
  addFormats(ajv);
  return ajv;
}
