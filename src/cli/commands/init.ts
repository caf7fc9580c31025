import type { Command } from "commander";
import { closeSync, openSync, readSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { UsageError } from "../../errors.js";
import { DEFAULT_MODEL, renderStarterProfile } from "../../profile/starter.js";
import { WORKLOAD_KINDS, type WorkloadKind } from "../../profile/schema.js";
import { builtin, type Ctx } from "../context.js";
import { packageRoot } from "../root.js";

interface InitOpts {
  kind?: string;
  model?: string;
  name?: string;
  force?: boolean;
}

/**
 * `hwadvise init [file]`: write a commented starter profile for a kind of workload. Asks for what the flags
 * leave out only when stdin and stderr are a terminal; never overwrites a file unless --force.
 */
export function registerInit(program: Command, ctx: Ctx, setExit: (code: number) => void): void {
  program
    .command("init")
    .description("write a commented starter profile (asks on a terminal; flags answer instead)")
    .argument("[file]", "where to write it (- for stdout)", "profile.yaml")
    .option("-k, --kind <kind>", WORKLOAD_KINDS.join(" | "))
    .option("-m, --model <id>", "a model preset (hwadvise models); default: a common one for the kind")
    .option("-n, --name <name>", "the workload's name; default: the file's name")
    .option("--force", "overwrite the file if it exists")
    .action((file: string, opts: InitOpts) => {
      const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
      const ask = interactive ? promptOn(ctx) : undefined;
      const models = builtin().models;
      const kind = checkKind(
        opts.kind ??
          askUntil(ask, `Workload kind (${WORKLOAD_KINDS.join(", ")})`, "realtime-inference", (k) =>
            (WORKLOAD_KINDS as readonly string[]).includes(k),
          ),
      );
      const model =
        opts.model ??
        askUntil(ask, "Model preset (hwadvise models lists them)", DEFAULT_MODEL[kind], (m) => models.has(m));
      const preset = models.get(model);
      if (!preset) {
        const near = [...models.keys()].filter((id) => id.startsWith(model.slice(0, 4))).slice(0, 5);
        throw new UsageError(
          `unknown model preset ${JSON.stringify(model)}${near.length ? `; did you mean ${near.join(", ")}?` : ""} (hwadvise models lists them)`,
        );
      }
      const stdout = file === "-";
      const fallbackName = stdout ? `my-${kind}` : basename(file).replace(/\.ya?ml$/i, "");
      const name = opts.name ?? ask?.("Name", fallbackName) ?? fallbackName;
      const schemaFile = join(packageRoot(), "schema", "profile.schema.json");
      const schemaRef = stdout
        ? schemaFile
        : relative(dirname(resolve(file)), schemaFile)
            .split(sep)
            .join("/");
      const text = renderStarterProfile({ kind, model, family: preset.family, name, schemaRef });
      if (stdout) {
        ctx.out(text);
      } else {
        writeNew(file, text, opts.force === true);
        ctx.err(`wrote ${file} (${kind}, ${model}); edit it, then: hwadvise recommend ${file}\n`);
      }
      setExit(0);
    });
}

/** Ask again (a few times) while the answer is not one `valid` takes; without a terminal, the default. */
function askUntil(
  ask: ((q: string, d: string) => string) | undefined,
  question: string,
  fallback: string,
  valid: (a: string) => boolean,
): string {
  if (!ask) return fallback;
  let answer = ask(question, fallback);
  for (let tries = 0; tries < 3 && !valid(answer); tries++)
    answer = ask(`${JSON.stringify(answer)} is not one of them. ${question}`, fallback);
  return answer;
}

function checkKind(k: string): WorkloadKind {
  if ((WORKLOAD_KINDS as readonly string[]).includes(k)) return k as WorkloadKind;
  throw new UsageError(`unknown workload kind ${JSON.stringify(k)}; expected one of ${WORKLOAD_KINDS.join(", ")}`);
}

/** Create `file` with `text`; an existing file is kept unless `force` (the check and the create are one step). */
function writeNew(file: string, text: string, force: boolean): void {
  try {
    writeFileSync(file, text, { flag: force ? "w" : "wx" });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EEXIST") throw new UsageError(`${file} exists; it was left as it is (pass --force to overwrite it)`);
    if (code === "ENOENT") throw new UsageError(`${file}: its folder does not exist`);
    if (code === "EACCES" || code === "EPERM") throw new UsageError(`${file}: permission denied`);
    if (code === "EISDIR")
      throw new UsageError(`${file} is a directory; name a file such as ${join(file, "profile.yaml")}`);
    throw e;
  }
}

/** A question on stderr, the answer read from the terminal (blocking, one line); empty keeps the default. */
function promptOn(ctx: Ctx): (question: string, fallback: string) => string {
  return (question, fallback) => {
    ctx.err(`${question} [${fallback}]: `);
    const answer = readLine().trim();
    return answer === "" ? fallback : answer;
  };
}

function readLine(): string {
  const buf = Buffer.alloc(1);
  const bytes: number[] = [];
  // Its own descriptor, opened blocking: Node may have made standard input non-blocking.
  let fd: number;
  try {
    fd = openSync("/dev/tty", "r");
  } catch {
    return "";
  }
  try {
    while (readSync(fd, buf, 0, 1, null) === 1 && buf[0] !== 0x0a) bytes.push(buf[0]!);
  } finally {
    closeSync(fd);
  }
  return Buffer.from(bytes).toString("utf8").replace(/\r$/, "");
}
