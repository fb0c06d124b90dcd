/**
 * `mcp-fleet gateway --from-env`: the gateway service's settings from the environment the IaC gives
 * its container — the Lambda's `GATEWAY_ENV` variables, with the secrets as values (ECS reads
 * them from Secrets Manager when the task starts) instead of ARNs.
 */
import { readGatewayEnvironment, type Environment } from '../gateway/environment';
import { GATEWAY_ENV, poolIdentityKeyEnv } from '../spec';
import { CliError } from './errors';
import type { LocalGatewayOptions } from './local-gateway';

/** Time kept back from the stop timeout so the process exits before ECS sends SIGKILL. */
const EXIT_MARGIN_MS = 5000;

/**
 * The options of `startLocalGateway` (without port and host) that the environment describes.
 * @throws CliError naming the variable at fault.
 */
export function gatewayOptionsFromEnvironment(env: Environment): Omit<LocalGatewayOptions, 'port' | 'host'> {
  let read;
  try {
    read = readGatewayEnvironment(env);
  } catch (error) {
    throw new CliError((error as Error).message, { cause: error });
  }
  const { spec, poolUrls, region, publicUrl, redisUrl, queueUrls } = read;
  const value = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const apiKeysDocument = value(GATEWAY_ENV.apiKeys);
  if (spec.auth.apiKeys && apiKeysDocument === undefined) {
    throw new CliError(`gateway environment: auth.apiKeys is set but ${GATEWAY_ENV.apiKeys} (the keys document) is not`);
  }
  const redisAuthToken = value(GATEWAY_ENV.redisAuthToken);
  const identityKey = value(GATEWAY_ENV.identityKey);
  // The IaC gives the service each pool's own key; a fleet key (derivation) serves the others.
  const poolIdentityKeys = Object.fromEntries(spec.pools.flatMap((p) => (value(poolIdentityKeyEnv(p.name)) ? [[p.name, value(poolIdentityKeyEnv(p.name))!]] : [])));
  return {
    fleet: { spec, poolUrls },
    region,
    ...(publicUrl ? { publicUrl } : {}),
    ...(redisUrl ? { redisUrl } : {}),
    ...(queueUrls ? { queueUrl: queueUrls } : {}),
    ...(redisAuthToken ? { redisAuthToken } : {}),
    ...(identityKey ? { identityKey } : {}),
    ...(Object.keys(poolIdentityKeys).length > 0 ? { poolIdentityKeys } : {}),
    ...(apiKeysDocument ? { apiKeysDocument } : {}),
    // Open streams get their final event before ECS gives up on the task.
    drainTimeoutMs: Math.max(1000, spec.gateway.service.stopTimeoutSeconds * 1000 - EXIT_MARGIN_MS),
  };
}
