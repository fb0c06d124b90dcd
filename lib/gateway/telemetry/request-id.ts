/**
 * The request id that ties a request's log lines together and travels on to pools: the caller's
 * `x-request-id` when it is a sane token, else the trace root the ALB puts in `X-Amzn-Trace-Id`,
 * else a new UUID. Anything else is ignored rather than logged, so no one injects into the logs.
 */
import { randomUUID } from 'node:crypto';
import type { HeaderMap } from '../http';

/** Header that carries the request id in and out (to pools and in responses). */
export const REQUEST_ID_HEADER = 'x-request-id';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TRACE_ROOT = /(?:^|;)\s*Root=([A-Za-z0-9-]{1,64})(?:;|$)/;

export function requestIdOf(headers: Readonly<HeaderMap>): string {
  const given = headers[REQUEST_ID_HEADER];
  if (given !== undefined && SAFE_ID.test(given)) return given;
  const root = TRACE_ROOT.exec(headers['x-amzn-trace-id'] ?? '');
  return root ? root[1]! : randomUUID();
}
