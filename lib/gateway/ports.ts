/**
 * Ports: what the gateway core needs from the world, as interfaces. Adapters implement them
 * (memory and Redis/Valkey stores, JWKS/API-key authenticators); the core never imports a client.
 */
import type { GatewayRequest } from './http';

/** One pool's backend session, held by the gateway on behalf of a gateway session or principal. */
export interface BackendSessionRecord {
  /** The pool's `Mcp-Session-Id`. */
  readonly sessionId: string;
  /** Protocol version negotiated with the pool. */
  readonly protocolVersion: string;
  /**
   * The load balancer stickiness cookie (or task address) that pins the backend session to the task
   * that created it; replayed on every request to that pool.
   */
  readonly affinity?: string;
}

/** A 2025-era client session minted by the gateway. */
export interface GatewaySessionRecord {
  /** The authenticated principal the session is bound to; other principals get 404. */
  readonly principal: string;
  /** The region (or instance group) that minted it: a session is never served by another region. */
  readonly region: string;
  /** Protocol version negotiated with the client at `initialize`. */
  readonly protocolVersion: string;
  /** Client info and capabilities from `initialize`, replayed when backend sessions open lazily. */
  readonly clientInfo: unknown;
  readonly clientCapabilities: unknown;
  /** Backend sessions by pool name, opened lazily. */
  readonly backends: Readonly<Record<string, BackendSessionRecord>>;
  /** Epoch ms. */
  readonly createdAt: number;
}

/** Session state shared by every gateway instance (memory for one process, Redis/Valkey for a fleet). */
export interface SessionStore {
  /** Returns the session and refreshes its TTL, or undefined when unknown or expired. */
  getSession(id: string): Promise<GatewaySessionRecord | undefined>;
  /** Creates or replaces a session with the given TTL. */
  putSession(id: string, session: GatewaySessionRecord, ttlSeconds: number): Promise<void>;
  /**
   * Creates a session unless its principal already holds `maxPerPrincipal` live ones (then nothing
   * is written and the answer is false). Live sessions are counted per `session.principal`.
   */
  createSession(id: string, session: GatewaySessionRecord, ttlSeconds: number, maxPerPrincipal: number): Promise<boolean>;
  /** Sets one pool's backend session without overwriting concurrent updates to other pools. */
  putBackendSession(id: string, pool: string, backend: BackendSessionRecord | undefined, ttlSeconds: number): Promise<void>;
  /**
   * Sets one pool's backend session only if the session has none for that pool yet, atomically, and
   * returns the one that holds now (the given one, or another instance's that came first);
   * undefined when the session ended. Two instances opening the same backend session at once must
   * agree on one: a pool's requests and the client's answers to them must meet in one backend session.
   */
  claimBackendSession(id: string, pool: string, backend: BackendSessionRecord, ttlSeconds: number): Promise<BackendSessionRecord | undefined>;
  deleteSession(id: string): Promise<void>;
  /**
   * Backend sessions a stateless (2026-07-28) caller holds with a stateful 2025-era pool, keyed by
   * principal and pool.
   */
  getPrincipalBackend(principal: string, pool: string): Promise<BackendSessionRecord | undefined>;
  putPrincipalBackend(principal: string, pool: string, backend: BackendSessionRecord | undefined, ttlSeconds: number): Promise<void>;
  /**
   * A random secret every gateway instance sharing this store gets alike, made on first use (e.g. the
   * key that binds task ids to their callers when no identity key is configured).
   */
  sharedSecret(name: string): Promise<string>;
  /** Throws when the store cannot be reached (used by `/health`). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Messages between gateway instances: how one instance reaches the instance that holds a live pool
 * stream or a client's open stream (memory for one process, Redis/Valkey pub/sub for a fleet). Each
 * instance listens on its own address; ids and states the gateway hands out carry that address, so
 * no store lookup is needed to find it.
 */
export interface GatewayBus {
  /** Starts delivering the messages sent to `instance` (this gateway's address) to `onMessage`. */
  listen(instance: string, onMessage: (message: string) => void): Promise<void>;
  /** Sends `message` to `instance`; false when no instance of that address listens (it stopped or died). */
  send(instance: string, message: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Result of taking one token from a shared token bucket. */
export interface RateDecision {
  readonly allowed: boolean;
  /** When not allowed: milliseconds until a token is available. */
  readonly retryAfterMs: number;
}

/** Token buckets shared by every gateway instance (memory or Redis/Valkey, atomically). */
export interface RateLimiter {
  take(key: string, perSecond: number, burst: number): Promise<RateDecision>;
}

/**
 * The key under which a principal's sessions and rate buckets are kept: the method is part of it,
 * so a JWT subject and an API-key principal that happen to share a name never share state.
 */
export function principalKey(principal: Principal): string {
  return `${principal.method}:${principal.id}`;
}

/** Who is calling, once authenticated. */
export interface Principal {
  /** Stable id (JWT `sub` or the API key's principal). */
  readonly id: string;
  readonly scopes: readonly string[];
  /** How the caller proved it. */
  readonly method: 'jwt' | 'api-key' | 'anonymous';
}

/** Authenticates a request: a principal, or a typed error that the core turns into 401. */
export interface Authenticator {
  authenticate(request: GatewayRequest): Promise<Principal>;
}
