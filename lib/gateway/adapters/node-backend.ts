/**
 * `BackendTransport` over `node:http`/`node:https` with keep-alive agents: connections to pools are
 * reused across requests (a new TCP handshake per call would dominate the gateway's added latency).
 */
import { lookup } from 'node:dns/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import { BackendError, type BackendHttpRequest, type BackendHttpResponse, type BackendTransport } from '../backend/transport';
import type { HeaderMap } from '../http';

/** Connection errors that prove the request never reached a server. */
const NOT_DELIVERED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL']);

export interface NodeBackendOptions {
  /**
   * Idle keep-alive sockets are closed after this many milliseconds, below Node's server default
   * (5 s) so the gateway never writes into a socket the pool is closing.
   * @default 4000
   */
  readonly idleSocketTimeoutMs?: number;
  /**
   * Resolves a pool host to the addresses of its tasks (Cloud Map answers with one per healthy task).
   * @default every address `dns.lookup` returns
   */
  readonly resolve?: (host: string) => Promise<string[]>;
}

export function createNodeBackendTransport(options: NodeBackendOptions = {}): BackendTransport {
  const agentOptions = { keepAlive: true, scheduling: 'lifo' as const, timeout: options.idleSocketTimeoutMs ?? 4000 };
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent(agentOptions);

  function once(request: BackendHttpRequest): Promise<BackendHttpResponse> {
    const secure = request.url.protocol === 'https:';
    const headers: http.OutgoingHttpHeaders = { ...request.headers, host: request.url.host };
    if (request.body !== undefined) headers['content-length'] = Buffer.byteLength(request.body);
    return new Promise((resolve, reject) => {
      let settled = false;
      const done = () => {
        settled = true;
        clearTimeout(timer);
        request.signal?.removeEventListener('abort', onAbort);
      };
      const fail = (error: BackendError) => {
        if (settled) return;
        done();
        req.destroy();
        reject(error);
      };
      const onAbort = () => fail(new BackendError('abandoned', `the caller went away before ${request.url.host} answered`));
      const req = (secure ? https : http).request({
        method: request.method,
        host: request.address ?? request.url.hostname,
        port: request.url.port || (secure ? 443 : 80),
        path: request.url.pathname + request.url.search,
        headers,
        agent: secure ? httpsAgent : httpAgent,
        ...(secure ? { servername: request.url.hostname } : {}),
      });
      const timer = setTimeout(() => fail(new BackendError('timeout', `no answer from ${request.url.host} within ${request.timeoutMs} ms`)), request.timeoutMs);
      req.on('response', (res) => {
        if (request.streamSse && res.statusCode === 200 && isEventStream(res.headers['content-type'])) {
          // From here the relay reading the stream cancels it (BackendStream.abort).
          done();
          res.setEncoding('utf8');
          resolve({
            status: 200,
            headers: flattenHeaders(res.headers),
            body: '',
            stream: { chunks: res as AsyncIterable<string>, abort: () => req.destroy() },
          });
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          if (settled) return;
          done();
          resolve({ status: res.statusCode ?? 502, headers: flattenHeaders(res.headers), body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', (cause) => fail(new BackendError('connection-lost', `answer from ${request.url.host} broke off: ${cause.message}`, { cause })));
      });
      req.on('error', (cause: NodeJS.ErrnoException) => {
        const code = cause.code ?? '';
        // A reused keep-alive socket that the peer had already closed fails before the request is
        // read: Node documents this case (`req.reusedSocket`) as safe to retry.
        const notDelivered = NOT_DELIVERED.has(code) || (req.reusedSocket && code === 'ECONNRESET');
        fail(new BackendError(notDelivered ? 'not-delivered' : 'connection-lost', `${request.url.host}${request.address ? ` (${request.address})` : ''}: ${cause.message}`, { cause }));
      });
      if (request.signal?.aborted) onAbort();
      else request.signal?.addEventListener('abort', onAbort, { once: true });
      req.end(request.body);
    });
  }

  return {
    async send(request) {
      try {
        return await once(request);
      } catch (error) {
        // One immediate retry when nothing was delivered over a stale pooled socket.
        if (error instanceof BackendError && error.failure === 'not-delivered' && isStaleSocket(error)) return once(request);
        throw error;
      }
    },
    resolve: options.resolve ?? (async (host) => (await lookup(host, { all: true })).map((a) => a.address)),
    async close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

function isEventStream(contentType: string | undefined): boolean {
  return (contentType ?? '').toLowerCase().startsWith('text/event-stream');
}

function isStaleSocket(error: BackendError): boolean {
  return (error.cause as NodeJS.ErrnoException | undefined)?.code === 'ECONNRESET';
}

function flattenHeaders(headers: http.IncomingHttpHeaders): HeaderMap {
  const out: HeaderMap = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
