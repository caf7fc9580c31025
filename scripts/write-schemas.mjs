// `npm run schemas`: write schema/<name>.schema.json from the build's dist/schemas.json (rendered from
// the zod schemas by `npm run build`). A test fails while a committed file differs from the zod schemas.
import { readFileSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const schemas = JSON.parse(readFileSync(join(root, "dist", "schemas.json"), "utf8"));
for (const [name, text] of Object.entries(schemas)) {
  writeFileSync(join(root, "schema", `${name}.schema.json`), text);
  console.log(`wrote schema/${name}.schema.json`);
}
