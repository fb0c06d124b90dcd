/**
 * Writes the Docker build context of a generated pool image (`GeneratedImagePlan`): the Dockerfile
 * and the files of this package the image needs, copied from where the package is installed (in a
 * user's app: `node_modules/mcp-fleet`). The directory is content-addressed — its name is a hash of
 * everything in it — so the same plan and package always yield the same directory and the same
 * image asset hash, and a rewrite is never needed. Nothing here reads a clock or a random source.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PACKAGE_NAME, packageRoot } from '../package-root';
import type { GeneratedImagePlan } from '../plan/pool-kinds/types';

/** Thrown when the context cannot be written (the package is not built, a file is missing). */
export class ImageContextError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ImageContextError';
  }
}

/** The context's files: path inside the context → content. */
function contextFiles(plan: GeneratedImagePlan, root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>([['Dockerfile', Buffer.from(plan.dockerfile)]]);
  for (const file of plan.packageFiles) {
    const source = join(root, file);
    if (!existsSync(source)) {
      throw new ImageContextError(`the stdio pool image needs ${source}, which is missing: run \`npm run build\` in the ${PACKAGE_NAME} package (${root})`);
    }
    files.set(`${plan.packageDir}/${file}`, readFileSync(source));
  }
  return files;
}

/** SHA-256 over the files' paths and contents, in a fixed order. */
function contextHash(files: ReadonlyMap<string, Buffer>): string {
  const hash = createHash('sha256');
  for (const [path, content] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) hash.update(`${path}\0${content.length}\0`).update(content);
  return hash.digest('hex');
}

/**
 * Writes the context under `outDir` (once per content) and returns its directory.
 * @param packageDir the package root to copy from. @default - this package's root
 */
export function writeImageContext(plan: GeneratedImagePlan, outDir: string, packageDir: string = packageRoot()): string {
  const files = contextFiles(plan, packageDir);
  const dir = join(outDir, `context-${contextHash(files).slice(0, 32)}`);
  if (existsSync(dir)) return dir;
  // Written beside, then renamed: a concurrent synth never sees a half-written context.
  const staging = `${dir}.${process.pid}.partial`;
  rmSync(staging, { recursive: true, force: true });
  for (const [path, content] of files) {
    mkdirSync(dirname(join(staging, path)), { recursive: true });
    writeFileSync(join(staging, path), content);
  }
  try {
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(dir)) throw new ImageContextError(`cannot write the image build context ${dir}: ${(error as Error).message}`, { cause: error });
  }
  return dir;
}

/**
 * What keeps `directory` from being a build context with `dockerfile` in it, or undefined: checked at
 * synth, so that a missing build (e.g. before `npm run build`) fails there and not at deploy time.
 */
export function buildContextProblem(directory: string, dockerfile: string): string | undefined {
  const dir = resolve(directory);
  if (!existsSync(dir)) return `the build directory ${directory} (${dir}) does not exist`;
  if (!existsSync(join(dir, dockerfile))) return `the build directory ${directory} has no ${dockerfile}`;
  return undefined;
}
