/** Reads a fleet spec file: JSON syntax problems and spec problems come back in one list. */
import { readFileSync } from 'node:fs';
import { describeSpecPath, resolveFleetSpec, validateFleetSpec, type FleetSpec, type ResolvedFleetSpec, type SpecProblem } from '../spec';
import { CliError } from './errors';

export interface SpecFileCheck {
  readonly problems: readonly SpecProblem[];
  /** Present when there are no problems. */
  readonly spec?: ResolvedFleetSpec;
}

/**
 * Validates the spec in `file`.
 * @throws CliError when the file cannot be read at all.
 */
export function checkSpecFile(file: string): SpecFileCheck {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, { cause: error });
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    return { problems: [{ path: '', message: `not valid JSON: ${(error as Error).message}` }] };
  }
  const problems = validateFleetSpec(input);
  return problems.length > 0 ? { problems } : { problems, spec: resolveFleetSpec(input as FleetSpec) };
}

/** `path: message` lines, the spec as a whole shown as `(spec)`. */
export function formatProblems(problems: readonly SpecProblem[]): string[] {
  return problems.map((p) => `${describeSpecPath(p)}: ${p.message}`);
}

/**
 * The resolved spec in `file`.
 * @throws CliError listing every problem.
 */
export function loadSpecFile(file: string): ResolvedFleetSpec {
  const { problems, spec } = checkSpecFile(file);
  if (!spec) {
    throw new CliError(
      `${file}: invalid fleet spec (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${formatProblems(problems)
        .map((l) => `  ${l}`)
        .join('\n')}`,
    );
  }
  return spec;
}
