/**
 * The 2026-07-28 side of the bridge: stateless requests served by the pool of server processes. A
 * stdio server speaks a 2025 revision, so each request is translated on the way: the `_meta`
 * envelope is taken off the params, the result gets `resultType` (and cache hints on lists);
 * `server/discover` is answered from the process's `initialize` result and `subscriptions/listen`
 * from its list-change notifications. A caller that goes away cancels its request.
 */
import type { ServerResponse } from 'node:http';
import { GatewayError } from '../gateway/errors';
import { toLegacyParams, toModernResult } from '../gateway/protocol/envelope';
import { RPC, errorMessage, isRequest, toGatewayError, type JsonRpcMessage, type JsonRpcRequest } from '../gateway/protocol/jsonrpc';
import { META, SUPPORTED_VERSIONS } from '../gateway/protocol/versions';
import type { ChildPool } from './child-pool';
import { sendAccepted, sendJson } from './http-io';
import { PostReply } from './reply';
import type { Subscriptions } from './subscriptions';

export interface ModernDeps {
  readonly pool: ChildPool;
  readonly subscriptions: Subscriptions;
}

/** One 2026-era message (2026-07-28 has no batches). */
export async function modernPost(deps: ModernDeps, res: ServerResponse, message: JsonRpcMessage): Promise<void> {
  // Notifications (cancellation is by closing the stream) and stray answers have nowhere to go.
  if (!isRequest(message)) return sendAccepted(res);
  switch (message.method) {
    case 'server/discover':
      return sendJson(res, 200, { jsonrpc: '2.0', id: message.id, result: await discover(deps) });
    case 'subscriptions/listen': {
      const { initializeResult } = await deps.pool.acquire();
      return deps.subscriptions.listen(message, res, capabilitiesOf(initializeResult));
    }
    default:
      return relay(deps, res, message);
  }
}

function capabilitiesOf(initializeResult: Record<string, unknown>): Record<string, unknown> {
  const capabilities = initializeResult.capabilities;
  return typeof capabilities === 'object' && capabilities !== null ? (capabilities as Record<string, unknown>) : {};
}

/**
 * `server/discover` for a server that only knows `initialize`: its capabilities (less resource
 * subscriptions, which stateless callers cannot hold), instructions and serverInfo; the bridge
 * itself serves every revision.
 */
async function discover(deps: ModernDeps): Promise<Record<string, unknown>> {
  const { initializeResult } = await deps.pool.acquire();
  const capabilities = { ...capabilitiesOf(initializeResult) };
  if (typeof capabilities.resources === 'object' && capabilities.resources !== null) {
    const { subscribe: _subscribe, ...resources } = capabilities.resources as Record<string, unknown>;
    capabilities.resources = resources;
  }
  return toModernResult('server/discover', {
    supportedVersions: [...SUPPORTED_VERSIONS],
    capabilities,
    ...(typeof initializeResult.instructions === 'string' ? { instructions: initializeResult.instructions } : {}),
    _meta: { [META.serverInfo]: initializeResult.serverInfo },
  });
}

async function relay(deps: ModernDeps, res: ServerResponse, message: JsonRpcRequest): Promise<void> {
  if (message.method === 'initialize') throw new GatewayError(400, RPC.invalidRequest, 'Invalid Request: initialize is not part of protocol 2026-07-28');
  const { child } = await deps.pool.acquire();
  const reply = new PostReply(res, 1, false);
  let wire: number | undefined;
  let answered = false;
  res.on('close', () => {
    if (!answered && wire !== undefined) child.cancel(wire, 'the caller closed the connection');
  });
  const params = toLegacyParams(message.params);
  try {
    const answer = await child.request(
      { jsonrpc: '2.0', id: message.id, method: message.method, ...(params ? { params } : {}) },
      (m) => reply.relay(m),
      (id) => (wire = id),
    );
    answered = true;
    reply.answer(answer.result !== undefined ? { ...answer, result: toModernResult(message.method, answer.result) } : answer);
  } catch (error) {
    answered = true;
    reply.answer(errorMessage(message.id, toGatewayError(error)));
  }
}
