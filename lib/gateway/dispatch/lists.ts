/**
 * The aggregated list methods: every pool's tools, prompts, resources and templates in one list,
 * filtered per caller by scopes; 2026 callers also get `ttlMs` and `cacheScope` computed from the pools'.
 */
import { GatewayError } from '../errors';
import { RPC, type JsonRpcRequest } from '../protocol/jsonrpc';
import type { ListKind } from '../routing/catalog';
import { replyWith, type DispatcherOptions, type Reply, type RequestContext } from './context';

/** Result fields that name the list of each aggregated method (a Map: `constructor` is no method). */
export const LIST_METHODS: ReadonlyMap<string, ListKind> = new Map([
  ['tools/list', 'tools'],
  ['prompts/list', 'prompts'],
  ['resources/list', 'resources'],
  ['resources/templates/list', 'resourceTemplates'],
]);

export async function listReply(options: DispatcherOptions, message: JsonRpcRequest, kind: ListKind, ctx: RequestContext): Promise<Reply> {
  // The gateway returns whole lists and never hands out cursors, so any cursor is not one of ours.
  if (message.params?.cursor !== undefined) {
    throw new GatewayError(200, RPC.invalidParams, `Invalid params: unknown cursor ${JSON.stringify(message.params.cursor)} (the gateway returns complete lists)`);
  }
  const { scopes } = options;
  const key = kind === 'tools' || kind === 'prompts' ? 'name' : undefined;
  // Each caller sees only what it may use: tools by tool and pool scopes, everything else by pool scopes.
  const keep = scopes
    ? (pool: string, item: Record<string, unknown>, declared: Record<string, unknown>) =>
        kind === 'tools' ? scopes.allows(ctx.principal, { pool, tool: String(item[key!]), declared: String(declared[key!]) }) : scopes.allows(ctx.principal, { pool })
    : undefined;
  const items = await options.catalog.list(kind, ctx.requestId, keep);
  if (!ctx.modern) return replyWith(message.id, { [kind]: items }, ctx, message.method);
  // With scopes, lists are filtered per caller: theirs alone, whatever the pools said.
  const { auth } = options.spec;
  const perCaller = auth.toolScopes.length > 0 || Object.keys(auth.poolScopes ?? {}).length > 0;
  const hints = options.catalog.cacheHints(kind);
  return replyWith(message.id, { [kind]: items, ttlMs: hints.ttlMs, cacheScope: perCaller ? 'private' : hints.cacheScope }, ctx, message.method);
}
