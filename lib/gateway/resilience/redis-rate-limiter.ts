/**
 * Token buckets in Redis/Valkey, shared by every gateway instance. One Lua script refills and takes
 * atomically, with the time read from the server (`TIME`), so instances with skewed clocks agree.
 * Keys expire once the bucket would be full again: an idle caller costs no memory.
 */
import type { Cluster, Redis } from 'ioredis';
import type { RateDecision, RateLimiter } from '../ports';
import { assertBucketLimits } from './token-bucket';

/** Name under which the script is registered on the client (EVALSHA, falling back to EVAL after a restart). */
const COMMAND = 'mcpFleetTakeToken';

/**
 * KEYS[1] bucket hash {tokens, at}; ARGV[1] tokens per second; ARGV[2] burst.
 * Returns {1, 0} when a token was taken, else {0, ms until one is available}.
 * Same rule as `takeToken` in token-bucket.ts.
 */
const TAKE_TOKEN_LUA = `
local perMs = tonumber(ARGV[1]) / 1000
local burst = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local saved = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(saved[1])
local at = tonumber(saved[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
elseif now > at then
  tokens = math.min(burst, tokens + (now - at) * perMs)
  at = now
end
local allowed = 0
local waitMs = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  waitMs = math.ceil((1 - tokens) / perMs)
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', at)
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / perMs) + 1000)
return { allowed, waitMs }
`;

interface TokenBucketCommand {
  [COMMAND](key: string, perSecond: number, burst: number): Promise<[number, number]>;
}

export interface RedisRateLimiterOptions {
  /**
   * Prefix of every bucket key, so that the limiter shares a database with sessions and other fleets.
   * @default 'mcp-fleet:rate:'
   */
  readonly keyPrefix?: string;
}

export class RedisRateLimiter implements RateLimiter {
  private readonly client: TokenBucketCommand;
  private readonly keyPrefix: string;

  /** `redis` may be shared with the session store: the limiter only registers one script on it. */
  constructor(redis: Redis | Cluster, options: RedisRateLimiterOptions = {}) {
    redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: TAKE_TOKEN_LUA });
    this.client = redis as unknown as TokenBucketCommand;
    this.keyPrefix = options.keyPrefix ?? 'mcp-fleet:rate:';
  }

  async take(key: string, perSecond: number, burst: number): Promise<RateDecision> {
    assertBucketLimits(key, perSecond, burst);
    const [allowed, retryAfterMs] = await this.client[COMMAND](this.keyPrefix + key, perSecond, burst);
    return { allowed: allowed === 1, retryAfterMs };
  }
}
