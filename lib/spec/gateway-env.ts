/**
 * The environment contract between the IaC (which sets it on the gateway Lambda) and the gateway
 * (which reads it at cold start). Names only: values are derived by `lib/plan`.
 */
export const GATEWAY_ENV = {
  /** The fleet spec as JSON (validated again by the gateway at start). */
  spec: 'MCP_FLEET_SPEC',
  /** JSON object: pool name → base URL of the pool's MCP endpoint inside the VPC. */
  poolUrls: 'MCP_FLEET_POOL_URLS',
  /** The region (or other isolation unit) this gateway serves; part of session ids and store keys. */
  region: 'MCP_FLEET_REGION',
  /** `rediss://host:port` (or `redis://` locally) of the session store; absent = in-memory store. */
  redisUrl: 'MCP_FLEET_REDIS_URL',
  /** ARN of the Secrets Manager secret holding the session store AUTH token. */
  redisAuthSecretArn: 'MCP_FLEET_REDIS_AUTH_SECRET_ARN',
  /**
   * JSON object: pool name → ARN of the secret holding that pool's identity key (the HMAC key that
   * signs the caller identity sent to the pool). Each pool holds only its own.
   */
  poolIdentitySecretArns: 'MCP_FLEET_POOL_IDENTITY_SECRET_ARNS',
  /** ARN of the secret holding hashed API keys (from `auth.apiKeys.secretName`). */
  apiKeysSecretArn: 'MCP_FLEET_API_KEYS_SECRET_ARN',
  /** Public base URL of the fleet (for RFC 9728 metadata), e.g. `https://mcp.example.com`. */
  publicUrl: 'MCP_FLEET_PUBLIC_URL',
  /**
   * The session store AUTH token itself. The gateway service gets it from Secrets Manager as an ECS
   * secret (the Lambda reads the secret named by `redisAuthSecretArn` instead).
   */
  redisAuthToken: 'MCP_FLEET_REDIS_AUTH_TOKEN',
  /**
   * The fleet identity key from which each pool's key is derived (`mcp-fleet gateway` and `dev`
   * locally; the IaC gives the gateway each pool's own key instead, see `poolIdentityKeyEnv`).
   */
  identityKey: 'MCP_FLEET_IDENTITY_KEY',
  /** The API keys document itself (an ECS secret of the gateway service; the Lambda reads `apiKeysSecretArn`). */
  apiKeys: 'MCP_FLEET_API_KEYS',
  /**
   * JSON object: queue pool name → that pool's own SQS queue URL (one queue per pool), where the
   * gateway (Lambda and service) sends the pool's jobs. Job state goes to the session store
   * (`redisUrl`), which queue pools therefore need.
   */
  queueUrls: 'MCP_FLEET_QUEUE_URLS',
} as const;

/**
 * The variable holding one pool's own identity key in the gateway service's container (an ECS secret;
 * the Lambda reads `poolIdentitySecretArns` instead): `MCP_FLEET_IDENTITY_KEY_` and the pool name in
 * upper case with `_` for `-` (pool names have no `_`, so no two pools share a variable).
 */
export function poolIdentityKeyEnv(pool: string): string {
  return `${GATEWAY_ENV.identityKey}_${pool.toUpperCase().replaceAll('-', '_')}`;
}

/** Header that carries the gateway-signed caller identity to pools (a short-lived HS256 JWT). */
export const IDENTITY_HEADER = 'x-mcp-fleet-identity';

/**
 * The environment contract between the IaC and each pool's container (set by `lib/plan`). Pool
 * servers that verify `IDENTITY_HEADER` read the HMAC key from `identityKey`.
 */
export const POOL_ENV = {
  /** The fleet name. */
  fleet: 'MCP_FLEET_NAME',
  /** The pool's name (also its Cloud Map service name). */
  pool: 'MCP_FLEET_POOL',
  /** Port the server must listen on. */
  port: 'PORT',
  /** HTTP path of the MCP endpoint the server must serve. */
  mcpPath: 'MCP_FLEET_MCP_PATH',
  /** HTTP path of the deep health check the server must serve. */
  healthPath: 'MCP_FLEET_HEALTH_PATH',
  /**
   * This pool's own HMAC key (from a Secrets Manager secret, injected as an ECS secret) that signs
   * `IDENTITY_HEADER`; the gateway derives or holds every pool's key, a pool only its own (the IaC
   * generates one secret per pool and gives each pool task only its own).
   */
  identityKey: 'MCP_FLEET_IDENTITY_KEY',
  /**
   * The fleet key itself (for pools run by hand next to `mcp-fleet gateway`). A pool given it derives
   * its own key (`poolIdentityKey`) and warns: holding the fleet key, it could derive other pools'
   * keys too. Prefer `identityKey` with only the pool's own key.
   */
  identityFleetKey: 'MCP_FLEET_IDENTITY_FLEET_KEY',
  /** Pools the load balancer routes to directly: the JWT issuer (`iss`) the ALB verified. */
  jwtIssuer: 'MCP_FLEET_JWT_ISSUER',
  /** ... the accepted audiences, as a JSON array. */
  jwtAudience: 'MCP_FLEET_JWT_AUDIENCE',
  /** ... the issuer's JWKS URL. */
  jwtJwksUri: 'MCP_FLEET_JWT_JWKS_URI',
  /** ... the claim naming the caller. */
  jwtPrincipalClaim: 'MCP_FLEET_JWT_PRINCIPAL_CLAIM',
} as const;

/**
 * The environment contract between the IaC and the worker container of a queue pool's task
 * (`mcp-fleet worker --from-env`, set by `lib/plan`). The worker holds the pool's own identity key
 * only, never the fleet key.
 */
export const WORKER_ENV = {
  /** The fleet spec as JSON (the worker takes its pool's queue settings from it). */
  spec: GATEWAY_ENV.spec,
  /** The queue pool whose jobs this worker runs. */
  pool: POOL_ENV.pool,
  /** The pool server's MCP endpoint in the same task, on loopback, e.g. `http://127.0.0.1:8080/mcp`. */
  serverUrl: 'MCP_FLEET_WORKER_SERVER_URL',
  /** The pool's own SQS queue URL (or `amqp://…` for self-hosted brokers). */
  queueUrl: 'MCP_FLEET_WORKER_QUEUE_URL',
  /** `rediss://host:port` of the session store, which keeps the jobs' state and the published tool list. */
  redisUrl: GATEWAY_ENV.redisUrl,
  /** The session store AUTH token (an ECS secret). */
  redisAuthToken: GATEWAY_ENV.redisAuthToken,
  /**
   * This pool's own identity key (an ECS secret from the pool's identity secret, the one its server
   * container gets as `POOL_ENV.identityKey`): the worker signs each job's caller with it.
   */
  identityKey: 'MCP_FLEET_WORKER_IDENTITY_KEY',
} as const;
