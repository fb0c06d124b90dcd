/**
 * The 2025-era side of the bridge (protocol 2025-03-26 … 2025-11-25): `initialize` starts a server
 * process for the new session, later POSTs are relayed to the session's process, GET opens the
 * session's stream for server-initiated messages, DELETE ends the session.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '../gateway/errors';
import { RPC, errorMessage, isRequest, toGatewayError, type JsonRpcId, type JsonRpcMessage, type JsonRpcRequest } from '../gateway/protocol/jsonrpc';
import { HEADER, allowsBatches } from '../gateway/protocol/versions';
import type { StructuredLogger } from '../gateway/telemetry/logger';
import type { StdioChild } from './child';
import { initializeChild } from './handshake';
import { sendAccepted, sendJson } from './http-io';
import { PostReply, SseWriter } from './reply';
import type { Session, SessionRegistry } from './sessions';
import type { SpareProcess } from './spare';

export interface LegacyDeps {
  /** Where session processes come from. */
  readonly spare: SpareProcess;
  readonly sessions: SessionRegistry;
  readonly logger: StructuredLogger;
  readonly initializeTimeoutMs: number;
  /** Most sessions at once. */
  readonly maxSessions: number;
}

function sessionNotFound(id: string): GatewayError {
  return new GatewayError(404, RPC.sessionNotFound, `Session not found: ${id} (it ended, or its server process exited; initialize a new session)`);
}

/** The session a request names, or the error that answers it. */
function sessionFor(deps: LegacyDeps, headers: Record<string, string>): Session {
  const id = headers[HEADER.sessionId];
  if (id === undefined) throw new GatewayError(400, RPC.serverError, 'Bad Request: Mcp-Session-Id header is required (send initialize first)');
  const session = deps.sessions.get(id);
  if (!session) throw sessionNotFound(id);
  return session;
}

/** A POST of 2025-era messages (one, or a batch where the revision allows it). */
export async function legacyPost(deps: LegacyDeps, res: ServerResponse, headers: Record<string, string>, messages: JsonRpcMessage[], batch: boolean): Promise<void> {
  const first = messages[0]!;
  if ('method' in first && first.method === 'initialize') {
    if (batch) throw new GatewayError(400, RPC.invalidRequest, 'Invalid Request: initialize must not be part of a JSON-RPC batch');
    if (headers[HEADER.sessionId] !== undefined)
      throw new GatewayError(400, RPC.invalidRequest, 'Invalid Request: the session is already initialized (send initialize without Mcp-Session-Id to start a new one)');
    return startSession(deps, res, first as JsonRpcRequest);
  }
  const session = sessionFor(deps, headers);
  if (batch && !allowsBatches(session.protocolVersion)) {
    throw new GatewayError(400, RPC.invalidRequest, `Invalid Request: JSON-RPC batches are not allowed in protocol version ${session.protocolVersion} (only 2025-03-26)`);
  }
  session.touch();
  const requests = messages.filter(isRequest);
  for (const message of messages) if (!isRequest(message)) forward(session, message);
  const sessionHeader = { [HEADER.sessionId]: session.id };
  if (requests.length === 0) return sendAccepted(res, sessionHeader);

  const reply = new PostReply(res, requests.length, batch, sessionHeader);
  await Promise.all(
    requests.map(async (request) => {
      try {
        reply.answer(
          await session.child.request(
            request,
            (m) => reply.relay(m),
            (wire) => session.wireIds.set(request.id, wire),
          ),
        );
      } catch (error) {
        reply.answer(errorMessage(request.id, toGatewayError(error)));
      } finally {
        session.wireIds.delete(request.id);
        session.touch();
      }
    }),
  );
}

/** Notifications and answers to the process's own requests go through; a cancellation names the wire id. */
function forward(session: Session, message: JsonRpcMessage): void {
  if ('method' in message && message.method === 'notifications/cancelled') {
    const wire = session.wireIds.get(message.params?.requestId as JsonRpcId);
    if (wire === undefined) return;
    session.child.cancel(wire, typeof message.params?.reason === 'string' ? message.params.reason : 'cancelled by the client');
    return;
  }
  session.child.send(message);
}

/** `initialize` without a session: a new process, initialized with the caller's own request. */
async function startSession(deps: LegacyDeps, res: ServerResponse, request: JsonRpcRequest): Promise<void> {
  if (deps.sessions.size + deps.sessions.starting >= deps.maxSessions) {
    throw new GatewayError(503, RPC.serverError, `Service Unavailable: this bridge holds its maximum of ${deps.maxSessions} sessions (a server process each; --max-sessions); retry later`, {
      'retry-after': '5',
    });
  }
  deps.sessions.starting += 1;
  try {
    await initializeSession(deps, res, request);
  } finally {
    deps.sessions.starting -= 1;
  }
}

async function initializeSession(deps: LegacyDeps, res: ServerResponse, request: JsonRpcRequest): Promise<void> {
  const logger = deps.logger.child({ child: 'session' });
  let child: StdioChild;
  try {
    child = await deps.spare.take();
  } catch (error) {
    throw new GatewayError(500, RPC.internalError, `Internal error: ${(error as Error).message}`, {}, { cause: error });
  }
  try {
    const answer = await initializeChild(child, request, deps.initializeTimeoutMs);
    if (answer.result === undefined) {
      await child.close();
      return sendJson(res, 200, answer);
    }
    const version = typeof answer.result.protocolVersion === 'string' ? answer.result.protocolVersion : '2025-03-26';
    const session = deps.sessions.add(child, version);
    logger.info('session started', { sessionId: session.id, pid: child.pid, protocolVersion: version });
    sendJson(res, 200, answer, { [HEADER.sessionId]: session.id });
  } catch (error) {
    await child.close();
    throw new GatewayError(500, RPC.internalError, `Internal error: ${(error as Error).message}`, {}, { cause: error });
  }
}

/** GET: the session's stream of server-initiated messages (one at a time, as the SDKs allow). */
export function legacyGet(deps: LegacyDeps, req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): void {
  if (headers[HEADER.sessionId] === undefined) {
    throw new GatewayError(405, RPC.serverError, 'Method Not Allowed: GET needs an Mcp-Session-Id (2026-07-28 callers use subscriptions/listen)', { allow: 'POST' });
  }
  const accept = headers.accept ?? '';
  if (!/text\/event-stream|\*\/\*/.test(accept)) throw new GatewayError(406, RPC.serverError, `Not Acceptable: Accept must list text/event-stream (got ${accept || 'none'})`);
  const session = sessionFor(deps, headers);
  if (session.getStream?.open) throw new GatewayError(409, RPC.serverError, 'Conflict: this session already has an open GET stream');
  const stream = new SseWriter(res, { [HEADER.sessionId]: session.id });
  stream.begin();
  session.attachGetStream(stream);
  session.touch();
  req.on('close', () => {
    if (session.getStream === stream) session.getStream = undefined;
    session.touch();
  });
}

/** DELETE: ends the session and its process (the answer does not wait for the process to exit). */
export function legacyDelete(deps: LegacyDeps, res: ServerResponse, headers: Record<string, string>): void {
  const session = sessionFor(deps, headers);
  void deps.sessions.end(session.id, 'deleted by the client');
  sendJson(res, 200, {});
}
