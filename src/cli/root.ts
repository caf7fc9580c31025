import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package root: where catalog/ lives, found from this module's location (source or bundle). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, "catalog", "models.yaml"))) return dir;
    dir = dirname(dir);
  }
  throw new Error("cannot find the hwadvise package root (catalog/models.yaml)");
}
