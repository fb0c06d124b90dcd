/**
 * The gateway's rate limits, from the spec: for `tools/call` one bucket per agent (the authenticated
 * principal) and one per tool (across all callers); for `initialize` one bucket per agent (each new
 * session costs store memory). A denial is a 429 with `Retry-After`. Agents are keyed by
 * `principalKey`, so a JWT subject and an API-key principal of the same name never share a bucket.
 */
import type { ResolvedFleetSpec } from '../../spec';
import { GatewayError } from '../errors';
import { principalKey, type Principal, type RateDecision, type RateLimiter } from '../ports';
import { RPC } from '../protocol/jsonrpc';

export interface RateLimitPolicyOptions {
  /**
   * When the limiter's store cannot be reached: let calls through (true) or refuse them with 503
   * (false). The spec's `rateLimits.onStoreError` decides in the gateway.
   * @default false
   */
  readonly failOpen?: boolean;
  /**
   * Told about every limiter failure (for a log line), whatever `failOpen` says.
   * @default - nothing
   */
  readonly onLimiterError?: (error: unknown, bucket: string) => void;
}

export class RateLimitPolicy {
  private readonly perAgent: ResolvedFleetSpec['rateLimits']['perAgent']['toolCalls'];
  private readonly perTool: ResolvedFleetSpec['rateLimits']['perTool']['toolCalls'];
  private readonly initialize: ResolvedFleetSpec['rateLimits']['perAgent']['initialize'] | undefined;
  /** Buckets are per fleet, so fleets may share one store. */
  private readonly keyPrefix: string;

  constructor(
    spec: Pick<ResolvedFleetSpec, 'name' | 'rateLimits'>,
    private readonly limiter: RateLimiter,
    private readonly options: RateLimitPolicyOptions = {},
  ) {
    this.perAgent = spec.rateLimits.perAgent.toolCalls;
    this.perTool = spec.rateLimits.perTool.toolCalls;
    this.initialize = spec.rateLimits.perAgent.initialize;
    this.keyPrefix = `${spec.name}:`;
  }

  /** Whether the spec sets any gateway bucket (the core can skip the call otherwise). */
  get enabled(): boolean {
    return this.perAgent !== undefined || this.perTool !== undefined;
  }

  /**
   * Takes the agent's token, then the tool's. Throws 429 when either bucket is empty. The agent's
   * bucket goes first so that an agent over its own limit does not drain the tool's bucket that all
   * callers share; a call refused by the tool's bucket still counts against the agent.
   * Anonymous callers (a fleet without auth) share the single agent id `anonymous`.
   */
  async checkToolCall(principal: Principal, tool: string): Promise<void> {
    if (this.perAgent) {
      const decision = await this.take(`${this.keyPrefix}agent:${principalKey(principal)}`, this.perAgent);
      if (!decision.allowed) {
        throw tooManyRequests(`agent "${principal.id}" exceeded ${this.perAgent.perSecond} tools/call per second (burst ${this.perAgent.burst})`, decision.retryAfterMs, { agent: principal.id });
      }
    }
    if (this.perTool) {
      const decision = await this.take(`${this.keyPrefix}tool:${tool}`, this.perTool);
      if (!decision.allowed) {
        throw tooManyRequests(`tool "${tool}" exceeded ${this.perTool.perSecond} calls per second (burst ${this.perTool.burst})`, decision.retryAfterMs, { tool });
      }
    }
  }

  /** Takes the agent's `initialize` token; throws 429 when its bucket is empty. */
  async checkInitialize(principal: Principal): Promise<void> {
    if (!this.initialize) return;
    const decision = await this.take(`${this.keyPrefix}init:${principalKey(principal)}`, this.initialize);
    if (!decision.allowed) {
      throw tooManyRequests(
        `agent "${principal.id}" opened sessions faster than ${this.initialize.perSecond} per second (burst ${this.initialize.burst}; rateLimits.perAgent.initialize)`,
        decision.retryAfterMs,
        { agent: principal.id },
      );
    }
  }

  private async take(bucket: string, rate: { readonly perSecond: number; readonly burst: number }): Promise<RateDecision> {
    try {
      return await this.limiter.take(bucket, rate.perSecond, rate.burst);
    } catch (error) {
      this.options.onLimiterError?.(error, bucket);
      if (this.options.failOpen ?? false) return { allowed: true, retryAfterMs: 0 };
      throw new GatewayError(503, RPC.serverError, `Rate limits cannot be checked right now (${(error as Error).message}); retry shortly`, { 'retry-after': '1' }, { cause: error });
    }
  }
}

function tooManyRequests(what: string, retryAfterMs: number, data: Record<string, string>): GatewayError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new GatewayError(
    429,
    RPC.serverError,
    `Rate limit exceeded: ${what}; retry in ${seconds} s`,
    { 'retry-after': String(seconds) },
    {
      data: { ...data, retryAfterSeconds: seconds },
    },
  );
}
