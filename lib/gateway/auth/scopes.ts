/**
 * Scopes from the spec: `auth.toolScopes` (per tool pattern; the first entry whose pattern matches
 * the tool decides, ignoring case as everywhere in the fleet) and `auth.poolScopes` (everything a pool
 * serves: tools, prompts, resources, completions). A tool is checked under the name the caller used
 * AND the name the serving pool declares: a collision-prefixed name (`slack__github_x`) or a case
 * variant cannot dodge an entry written for either, and the pool that serves it adds its own scopes.
 * A caller missing any gets 403 with an `insufficient_scope` challenge that lists every scope needed
 * (the MCP authorization spec: all of them in one challenge, not one at a time).
 */
import { matchesPattern, type ToolScopeSpec } from '../../spec';
import { GatewayError } from '../errors';
import type { Principal } from '../ports';
import { AUTH_ERROR_CODE, bearerChallenge } from './challenge';

/** Scopes `tool` requires: those of the first matching entry, or none. */
export function requiredScopes(toolScopes: readonly ToolScopeSpec[], tool: string): readonly string[] {
  return toolScopes.find((entry) => matchesPattern(tool, entry.tools))?.scopes ?? [];
}

/** What is being used: a pool's tool (exposed and declared names), or another item of a pool. */
export interface ScopeTarget {
  /** The serving pool. @default - no pool scopes apply */
  readonly pool?: string;
  /** The tool's name as the caller sent it. @default - not a tool */
  readonly tool?: string;
  /** The tool's name as the pool declares it. @default tool */
  readonly declared?: string;
  /** What the error message names when it is not a tool (e.g. `prompts/get`). @default 'this request' */
  readonly what?: string;
}

export class ScopePolicy {
  constructor(
    private readonly toolScopes: readonly ToolScopeSpec[],
    private readonly options: {
      /** URL of the RFC 9728 metadata for the challenge. @default - none (left out of the challenge) */
      readonly resourceMetadataUrl?: string;
      /** `auth.poolScopes`: pool name → scopes required for anything it serves. @default {} */
      readonly poolScopes?: Readonly<Record<string, readonly string[]>>;
    } = {},
  ) {}

  /** Every scope `target` requires. */
  required(target: ScopeTarget): readonly string[] {
    const all = new Set<string>();
    if (target.tool !== undefined) {
      for (const s of requiredScopes(this.toolScopes, target.tool)) all.add(s);
      for (const s of requiredScopes(this.toolScopes, target.declared ?? target.tool)) all.add(s);
    }
    if (target.pool !== undefined) for (const s of this.options.poolScopes?.[target.pool] ?? []) all.add(s);
    return [...all];
  }

  /** Whether `principal` may use `target` (lists show only such items). */
  allows(principal: Principal, target: ScopeTarget): boolean {
    return this.required(target).every((scope) => principal.scopes.includes(scope));
  }

  /**
   * Throws 403 unless `principal` holds every scope `tool` requires.
   * @param declared the name the serving pool declares, when it differs from `tool` (the exposed name).
   * @param pool the serving pool, whose `auth.poolScopes` apply too.
   */
  check(principal: Principal, tool: string, declared: string = tool, pool?: string): void {
    this.enforce(principal, { tool, declared, ...(pool !== undefined ? { pool } : {}) });
  }

  /** Throws 403 unless `principal` holds every scope `target` requires. */
  enforce(principal: Principal, target: ScopeTarget): void {
    const required = this.required(target);
    const missing = required.filter((scope) => !principal.scopes.includes(scope));
    if (missing.length === 0) return;
    const subject = target.tool !== undefined ? `tool "${target.tool}"` : `${target.what ?? 'this request'} on pool "${target.pool}"`;
    const description = `${subject} requires scope${required.length === 1 ? '' : 's'} ${required.join(' ')}`;
    const challenge = bearerChallenge({
      error: 'insufficient_scope',
      description,
      scopes: required,
      ...(this.options.resourceMetadataUrl ? { resourceMetadataUrl: this.options.resourceMetadataUrl } : {}),
    });
    const data = { ...(target.tool !== undefined ? { tool: target.tool } : { pool: target.pool }), requiredScopes: required, missingScopes: missing };
    throw new GatewayError(403, AUTH_ERROR_CODE, `Forbidden: ${description}; missing ${missing.join(' ')}`, { 'www-authenticate': challenge }, { data });
  }
}
