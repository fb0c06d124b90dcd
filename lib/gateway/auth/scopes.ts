/**
 * Per-tool scopes from `auth.toolScopes`: the first entry whose pattern matches the tool decides
 * (matching ignores case, as everywhere in the fleet). A tool is checked under the name the caller
 * used AND the name the serving pool declares: a collision-prefixed name (`slack__github_x`) or a
 * case variant cannot dodge an entry written for either.
 * A caller missing any of them gets 403 with an `insufficient_scope` challenge that lists every scope
 * the tool needs (the MCP authorization spec: all of them in one challenge, not one at a time).
 */
import { matchesPattern, type ToolScopeSpec } from '../../spec';
import { GatewayError } from '../errors';
import type { Principal } from '../ports';
import { AUTH_ERROR_CODE, bearerChallenge } from './challenge';

/** Scopes `tool` requires: those of the first matching entry, or none. */
export function requiredScopes(toolScopes: readonly ToolScopeSpec[], tool: string): readonly string[] {
  return toolScopes.find((entry) => matchesPattern(tool, entry.tools))?.scopes ?? [];
}

export class ScopePolicy {
  constructor(
    private readonly toolScopes: readonly ToolScopeSpec[],
    private readonly options: {
      /** URL of the RFC 9728 metadata for the challenge. @default - none (left out of the challenge) */
      readonly resourceMetadataUrl?: string;
    } = {},
  ) {}

  /**
   * Throws 403 unless `principal` holds every scope `tool` requires.
   * @param declared the name the serving pool declares, when it differs from `tool` (the exposed name).
   */
  check(principal: Principal, tool: string, declared: string = tool): void {
    const required = [...new Set([...requiredScopes(this.toolScopes, tool), ...requiredScopes(this.toolScopes, declared)])];
    const missing = required.filter((scope) => !principal.scopes.includes(scope));
    if (missing.length === 0) return;
    const description = `tool "${tool}" requires scope${required.length === 1 ? '' : 's'} ${required.join(' ')}`;
    const challenge = bearerChallenge({
      error: 'insufficient_scope',
      description,
      scopes: required,
      ...(this.options.resourceMetadataUrl ? { resourceMetadataUrl: this.options.resourceMetadataUrl } : {}),
    });
    throw new GatewayError(403, AUTH_ERROR_CODE, `Forbidden: ${description}; missing ${missing.join(' ')}`, { 'www-authenticate': challenge }, {
      data: { tool, requiredScopes: required, missingScopes: missing },
    });
  }
}
