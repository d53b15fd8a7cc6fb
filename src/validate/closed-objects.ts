// JSON Schema allows any key that a schema does not mention. To reject or strip unknown keys by
// default, bulwark compiles a copy of the schema in which object schemas are closed with
// `unevaluatedProperties: false`, a keyword of JSON Schema 2020-12 Core. Unlike
// `additionalProperties`, it counts the keys declared through `allOf`, `anyOf`, `oneOf`, `$ref`
// and `if`/`then`/`else`, so composed schemas stay valid.

type SchemaObject = Record<string, unknown>;

// Keywords whose subschemas describe a value of their own: a closed object schema belongs there.
const VALUE_MAPS = new Set(['properties', 'patternProperties']);
const VALUE_SCHEMAS = new Set(['additionalProperties', 'unevaluatedProperties', 'items', 'additionalItems', 'contains', 'unevaluatedItems']);
const VALUE_LISTS = new Set(['prefixItems']);

// Keywords whose subschemas are parts of the schema beside them: closing a part would reject the
// keys that the other parts declare, so only their own value positions are closed.
const PART_MAPS = new Set(['$defs', 'definitions', 'dependentSchemas']);
const PART_SCHEMAS = new Set(['not', 'if', 'then', 'else', 'propertyNames']);
const PART_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);

// Keywords that declare keys, directly or through other subschemas.
const SHAPE_KEYWORDS = ['properties', 'patternProperties', 'allOf', 'anyOf', 'oneOf', '$ref', '$dynamicRef', 'if', 'dependentSchemas'];

function isSchemaObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function allowsObject(schema: SchemaObject): boolean {
  const type = schema.type;
  return type === 'object' || (Array.isArray(type) && type.includes('object'));
}

function mapValues(map: unknown, isValuePosition: boolean): unknown {
  if (!isSchemaObject(map)) {
    return map;
  }
  const copy: SchemaObject = {};
  for (const [name, child] of Object.entries(map)) {
    copy[name] = closeObjects(child, isValuePosition);
  }
  return copy;
}

/**
 * Returns a copy of `schema` in which each object schema at a value position that declares keys
 * and sets no policy for other keys gets `unevaluatedProperties: false`. A schema that sets
 * `additionalProperties` or `unevaluatedProperties` itself keeps its own policy, and a bare
 * `{ type: 'object' }` stays open, because it declares no keys.
 */
export function closeObjects(schema: unknown, isValuePosition = true): unknown {
  if (!isSchemaObject(schema)) {
    return schema;
  }

  const copy: SchemaObject = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (VALUE_MAPS.has(keyword) || PART_MAPS.has(keyword)) {
      copy[keyword] = mapValues(value, VALUE_MAPS.has(keyword));
    } else if (VALUE_SCHEMAS.has(keyword) || PART_SCHEMAS.has(keyword)) {
      const isValue = VALUE_SCHEMAS.has(keyword);
      copy[keyword] = Array.isArray(value) ? value.map((item) => closeObjects(item, isValue)) : closeObjects(value, isValue);
    } else if (VALUE_LISTS.has(keyword) || PART_LISTS.has(keyword)) {
      copy[keyword] = Array.isArray(value) ? value.map((item) => closeObjects(item, VALUE_LISTS.has(keyword))) : value;
    } else {
      copy[keyword] = value;
    }
  }

  const declaresKeys = SHAPE_KEYWORDS.some((keyword) => keyword in copy);
  const setsPolicy = 'additionalProperties' in copy || 'unevaluatedProperties' in copy;
  if (isValuePosition && allowsObject(copy) && declaresKeys && !setsPolicy) {
    copy.unevaluatedProperties = false;
  }
  return copy;
}
