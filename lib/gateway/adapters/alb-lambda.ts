/**
 * ALB → Lambda events to `GatewayRequest` and back. The target group may have multi-value headers on
 * or off; the answer uses the same form as the event. ALB→Lambda is buffered with a 1 MB limit on
 * the response: an answer that would not fit becomes a clear JSON-RPC error, never a truncated body.
 */
import type { ALBEvent, ALBResult } from 'aws-lambda';
import { GatewayError } from '../errors';
import type { BufferedResponse, GatewayRequest, GatewayResponse, HeaderMap } from '../http';
import { RPC, errorResponse, isRecord } from '../protocol/jsonrpc';

/** Lambda's limit for the whole response JSON that the ALB accepts from a function (1 MB). */
export const ALB_LAMBDA_RESPONSE_LIMIT_BYTES = 1_048_576;

/** HTTP reason phrases for the `statusDescription` the ALB wants (`"200 OK"`). */
const REASONS: Readonly<Record<number, string>> = {
  200: 'OK',
  202: 'Accepted',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function requestFromAlbEvent(event: ALBEvent): GatewayRequest {
  const headers: HeaderMap = {};
  if (event.multiValueHeaders) {
    for (const [name, values] of Object.entries(event.multiValueHeaders)) if (values && values.length > 0) headers[name.toLowerCase()] = values.join(', ');
  } else if (event.headers) {
    for (const [name, value] of Object.entries(event.headers)) if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  const query = event.multiValueQueryStringParameters
    ? Object.entries(event.multiValueQueryStringParameters).flatMap(([k, vs]) => (vs ?? []).map((v) => `${k}=${v}`))
    : Object.entries(event.queryStringParameters ?? {}).map(([k, v]) => `${k}=${v ?? ''}`);
  const forwardedFor = headers['x-forwarded-for'];
  return {
    method: event.httpMethod.toUpperCase(),
    path: event.path,
    query: query.join('&'),
    headers,
    body: event.body == null ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body,
    ...(forwardedFor ? { remoteAddress: forwardedFor.split(',')[0]!.trim() } : {}),
  };
}

/**
 * The ALB result for a gateway response, in the header form of `event`. An answer over the limit is
 * replaced by a 502 JSON-RPC error (-32603) that says how large it was and which request it answered.
 */
export function albResultFor(event: ALBEvent, request: GatewayRequest, response: GatewayResponse): ALBResult {
  if (typeof response.body !== 'string') {
    // The core only streams to hosts that ask for it (`request.streaming`); this one never does.
    response.body.cancel('buffered host');
    const error = new GatewayError(502, RPC.internalError, 'Internal error: a streamed answer reached the buffered ALB→Lambda adapter; it was not sent');
    return build(event, errorResponse(error, requestIdOfBody(request.body)));
  }
  const result = build(event, response as BufferedResponse);
  const size = Buffer.byteLength(JSON.stringify(result));
  if (size <= ALB_LAMBDA_RESPONSE_LIMIT_BYTES) return result;
  const error = new GatewayError(
    502,
    RPC.internalError,
    `Response too large: the answer is ${size} bytes, over the ${ALB_LAMBDA_RESPONSE_LIMIT_BYTES}-byte limit of ALB→Lambda responses; it was not sent (ask for less, e.g. a smaller resource or page)`,
    {},
    { data: { responseBytes: size, limitBytes: ALB_LAMBDA_RESPONSE_LIMIT_BYTES } },
  );
  const replacement = errorResponse(error, requestIdOfBody(request.body));
  const requestIdHeader = response.headers['x-request-id'];
  return build(event, { ...replacement, headers: { ...replacement.headers, ...(requestIdHeader ? { 'x-request-id': requestIdHeader } : {}) } });
}

function build(event: ALBEvent, response: BufferedResponse): ALBResult {
  const base = {
    statusCode: response.status,
    statusDescription: `${response.status} ${REASONS[response.status] ?? 'Unknown'}`,
    body: response.body,
    isBase64Encoded: false,
  };
  if (event.multiValueHeaders) {
    return { ...base, multiValueHeaders: Object.fromEntries(Object.entries(response.headers).map(([k, v]) => [k, [v]])) };
  }
  return { ...base, headers: { ...response.headers } };
}

/** The JSON-RPC id of a single-message request body, if it has one. */
function requestIdOfBody(body: string): string | number | null {
  try {
    const parsed: unknown = JSON.parse(body);
    return isRecord(parsed) && (typeof parsed.id === 'string' || typeof parsed.id === 'number') ? parsed.id : null;
  } catch {
    return null;
  }
}
