/**
 * A validator for the subset of JSON Schema draft-7 our committed result schemas use (type, const,
 * enum, properties, required, additionalProperties, propertyNames, items, anyOf, minimum, maximum,
 * exclusiveMinimum, pattern). It throws on any other keyword, so a schema that grows past it fails loudly
 * instead of being half-checked. Returns one line per violation: `path: what`.
 */
type Schema = Record<string, unknown>;

const KNOWN = new Set([
  "$schema",
  "title",
  "description",
  "type",
  "const",
  "enum",
  "properties",
  "required",
  "additionalProperties",
  "propertyNames",
  "items",
  "anyOf",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "pattern",
]);

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function hasType(v: unknown, t: string): boolean {
  if (t === "integer") return Number.isInteger(v);
  return typeOf(v) === t;
}

export function validateJson(schema: Schema, value: unknown, path = "$"): string[] {
  for (const k of Object.keys(schema))
    if (!KNOWN.has(k)) throw new Error(`${path}: schema keyword ${k} is not supported by the test validator`);
  const errs: string[] = [];
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => hasType(value, t))) return [`${path}: expected ${types.join("|")}, found ${typeOf(value)}`];
  }
  if ("const" in schema && JSON.stringify(schema.const) !== JSON.stringify(value))
    errs.push(`${path}: expected ${JSON.stringify(schema.const)}`);
  if (schema.enum && !(schema.enum as unknown[]).some((e) => JSON.stringify(e) === JSON.stringify(value)))
    errs.push(`${path}: ${JSON.stringify(value)} not in enum`);
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) errs.push(`${path}: below minimum`);
    if (typeof schema.maximum === "number" && value > schema.maximum) errs.push(`${path}: above maximum`);
    if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum)
      errs.push(`${path}: not above exclusiveMinimum`);
  }
  if (typeof value === "string" && typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value))
    errs.push(`${path}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
  if (schema.anyOf) {
    const branches = (schema.anyOf as Schema[]).map((s) => validateJson(s, value, path));
    if (!branches.some((b) => b.length === 0))
      errs.push(`${path}: matches no anyOf branch (${branches.map((b) => b[0]).join(" / ")})`);
  }
  if (typeOf(value) === "object") {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const r of (schema.required ?? []) as string[]) if (!(r in obj)) errs.push(`${path}: missing required ${r}`);
    for (const [k, v] of Object.entries(obj)) {
      if (schema.propertyNames) errs.push(...validateJson(schema.propertyNames as Schema, k, `${path}[key ${k}]`));
      if (props[k]) errs.push(...validateJson(props[k], v, `${path}.${k}`));
      else if (schema.additionalProperties === false) errs.push(`${path}: unexpected property ${k}`);
      else if (schema.additionalProperties && typeof schema.additionalProperties === "object")
        errs.push(...validateJson(schema.additionalProperties as Schema, v, `${path}.${k}`));
    }
  }
  if (Array.isArray(value) && schema.items)
    value.forEach((x, i) => errs.push(...validateJson(schema.items as Schema, x, `${path}[${i}]`)));
  return errs;
}
