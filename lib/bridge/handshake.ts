/**
 * The MCP handshake with a freshly started server process: `initialize`, then
 * `notifications/initialized`. Pool processes are initialized by the bridge itself (as a 2025-era
 * client without client capabilities, since stateless callers cannot answer server-to-client
 * requests); session processes are initialized with the caller's own `initialize`.
 */
import { RPC, isRecord, type JsonRpcRequest, type JsonRpcResponse } from '../gateway/protocol/jsonrpc';
import { LATEST_LEGACY_VERSION } from '../gateway/protocol/versions';
import type { StdioChild } from './child';
import { BridgeError } from './errors';

/** The bridge's own `clientInfo`. */
export const BRIDGE_CLIENT_INFO = { name: 'mcp-fleet-bridge', version: '0.1.0' } as const;

/** What the bridge sends to initialize a pool process. */
export function poolInitializeRequest(): JsonRpcRequest {
  return {
    jsonrpc: '2.0',
    id: 'mcp-fleet-bridge-initialize',
    method: 'initialize',
    params: { protocolVersion: LATEST_LEGACY_VERSION, capabilities: {}, clientInfo: { ...BRIDGE_CLIENT_INFO } },
  };
}

/**
 * Sends `request` (an `initialize`) and, on success, `notifications/initialized`. Resolves with the
 * whole answer (an error answer too, for the caller to relay); rejects when the process exits or
 * does not answer within `timeoutMs`.
 */
export async function initializeChild(child: StdioChild, request: JsonRpcRequest, timeoutMs: number): Promise<JsonRpcResponse> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BridgeError(`the server process (pid ${child.pid}) did not answer initialize within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const answer = await Promise.race([child.request(request), timeout]);
    if (answer.result !== undefined) child.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    return answer;
  } finally {
    clearTimeout(timer);
  }
}

/** The `initialize` result of a pool process, or a `BridgeError` carrying its error answer. */
export function initializeResultOf(answer: JsonRpcResponse): Record<string, unknown> {
  if (answer.result !== undefined && isRecord(answer.result)) return answer.result;
  const error = answer.error ?? { code: RPC.internalError, message: 'no result' };
  throw new BridgeError(`the server refused initialize: ${error.message} (JSON-RPC ${error.code})`);
}
