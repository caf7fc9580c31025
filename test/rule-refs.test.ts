import { describe, expect, it } from "vitest";
import { renderSchema } from "../src/cli/schema-live.js";
import { CONCURRENCY_REF, RULE_REFS, RULES } from "../src/rules/index.js";

// A violation names the profile field to relax: that field must exist, or the pointer misleads.

type Node = { properties?: Record<string, Node>; anyOf?: Node[]; oneOf?: Node[]; items?: Node };

/** Does the JSON Schema have a property at this dotted path (through unions and arrays)? */
function has(node: Node | undefined, path: readonly string[]): boolean {
  if (!node) return false;
  if (path.length === 0) return true;
  const [head, ...rest] = path;
  const alts = [node, ...(node.anyOf ?? []), ...(node.oneOf ?? [])];
  return alts.some((n) => has(n.properties?.[head!], rest) || (n.items ? has(n.items, path) : false));
}

describe("RULE_REFS", () => {
  const schema = JSON.parse(renderSchema("profile")) as Node;
  it("covers every rule", () => {
    for (const r of RULES) expect(RULE_REFS, r.id).toHaveProperty(r.id);
  });
  it("every field it names is a field of the profile schema", () => {
    const missing = Object.entries(RULE_REFS).flatMap(([rule, ref]) =>
      ref.field && !has(schema, ref.field.split(".")) ? [`${rule}: ${ref.field}`] : [],
    );
    expect(missing).toEqual([]);
    expect(has(schema, CONCURRENCY_REF.field.split("."))).toBe(true);
    expect(has(schema, ["slo", "no_such_field"])).toBe(false); // the walk can fail
  });
});
