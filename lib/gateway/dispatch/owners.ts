/**
 * Which pool owns a routed request: a tool by the priority header, discovered names, spec patterns
 * or fresh discovery; a prompt by name; a resource by URI; a completion by what it refers to.
 */
import { priorityPoolFor } from '../../spec/ownership';
import { ownerOfTool } from '../../spec/ownership';
import { matchesAnyPattern } from '../../spec/patterns';
import { GatewayError } from '../errors';
import { RPC, isRecord, type JsonRpcRequest } from '../protocol/jsonrpc';
import type { ListKind } from '../routing/catalog';
import type { Route } from '../routing/resume';
import { stringParam, type DispatcherOptions, type RequestContext } from './context';

/** Tool → pool: priority header, then discovered names, then spec patterns, then fresh discovery. */
export async function toolOwner(options: DispatcherOptions, name: string, ctx: RequestContext): Promise<Required<Route>> {
  const { spec, catalog, targets } = options;
  const priority = priorityPoolFor(spec, ctx.request.headers);
  if (priority && matchesAnyPattern(name, priority.tools)) return { target: targets.get(priority.name)!, original: name };
  const known = catalog.lookup('tools', name);
  if (known) return known;
  const owner = ownerOfTool(spec, name);
  if (owner) return { target: targets.get(owner.name)!, original: name };
  const discovered = await catalog.resolve('tools', name, ctx.requestId);
  if (discovered) return discovered;
  throw new GatewayError(200, RPC.invalidParams, `Unknown tool: ${name}`, {}, { data: { tool: name } });
}

export async function ownerByName(options: DispatcherOptions, kind: ListKind, message: JsonRpcRequest, ctx: RequestContext): Promise<Required<Route>> {
  const name = stringParam(message, 'name');
  const found = await options.catalog.resolve(kind, name, ctx.requestId);
  if (!found) throw new GatewayError(200, RPC.invalidParams, `Unknown prompt: ${name}`, {}, { data: { prompt: name } });
  return found;
}

export async function ownerByUri(options: DispatcherOptions, uri: string, ctx: RequestContext): Promise<Route> {
  const target = await options.catalog.resourceOwner(uri, ctx.requestId);
  if (!target) throw new GatewayError(200, RPC.invalidParams, `Unknown resource: ${uri}`, {}, { data: { uri } });
  return { target };
}

/** `completion/complete`: the pool of the prompt or resource it refers to, and the request as that pool names it. */
export async function completionOwner(options: DispatcherOptions, message: JsonRpcRequest, ctx: RequestContext): Promise<{ message: JsonRpcRequest; route: Route }> {
  const ref = message.params?.ref;
  if (!isRecord(ref)) throw new GatewayError(200, RPC.invalidParams, 'Invalid params: completion/complete needs params.ref');
  if (ref.type === 'ref/prompt' && typeof ref.name === 'string') {
    const found = await options.catalog.resolve('prompts', ref.name, ctx.requestId);
    if (!found) throw new GatewayError(200, RPC.invalidParams, `Unknown prompt: ${ref.name}`);
    const params = { ...message.params, ref: { ...ref, name: found.original } };
    return { message: { ...message, params }, route: { target: found.target } };
  }
  if (ref.type === 'ref/resource' && typeof ref.uri === 'string') return { message, route: await ownerByUri(options, ref.uri, ctx) };
  throw new GatewayError(200, RPC.invalidParams, 'Invalid params: params.ref must be a ref/prompt with a name or a ref/resource with a uri');
}
