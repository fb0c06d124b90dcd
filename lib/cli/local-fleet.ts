/** The fleet a local gateway serves: a resolved spec and the URL of every pool. */
import { parseFleetSpec, type FleetSpec, type PoolSpec, type ResolvedFleetSpec } from '../spec';
import type { PoolUrlFlag } from './args';
import { CliError, UsageError } from './errors';
import { GATEWAY_PRINCIPAL, IdentitySigner } from '../gateway/auth/identity';
import { IDENTITY_HEADER } from '../spec/gateway-env';
import { probePoolEra } from './probe-pool';

/** The fleet name of a gateway built from `--pool` flags alone (the identity tokens' issuer). */
export const LOCAL_FLEET_NAME = 'local';

export interface LocalFleet {
  readonly spec: ResolvedFleetSpec;
  /** Pool name → MCP endpoint URL, for every pool of the spec. */
  readonly poolUrls: Readonly<Record<string, string>>;
}

/**
 * Checks that every `--pool` flag names a pool of the spec.
 * @throws UsageError naming the spec's pools.
 */
export function checkPoolFlags(spec: ResolvedFleetSpec, source: string, flags: readonly PoolUrlFlag[], command: string): void {
  const names = spec.pools.map((p) => p.name);
  for (const flag of flags) {
    if (!names.includes(flag.name)) throw new UsageError(`--pool ${flag.name}: ${source} has no pool "${flag.name}" (its pools: ${names.join(', ')})`, command);
  }
}

/**
 * Points the pools of a spec at URLs: `--pool` flags first, then `defaults` (servers the CLI started).
 * @param source names the spec in messages (its file).
 * @throws UsageError for a flag naming no pool of the spec; CliError for a pool left without a URL.
 */
export function fleetFromSpec(spec: ResolvedFleetSpec, source: string, flags: readonly PoolUrlFlag[], command: string, defaults: Readonly<Record<string, string>> = {}): LocalFleet {
  checkPoolFlags(spec, source, flags, command);
  const poolUrls: Record<string, string> = {};
  for (const { name } of spec.pools) {
    const url = flags.find((f) => f.name === name)?.url ?? defaults[name];
    if (!url) throw new CliError(`pool "${name}" of ${source} has no URL: pass --pool ${name}=URL`);
    poolUrls[name] = url;
  }
  return { spec, poolUrls };
}

/**
 * A fleet of discovery-only pools, one per `--pool` flag: each pool's tools come from its own
 * `tools/list`, and its protocol era from a handshake made now.
 * @throws CliError naming the pool that did not answer.
 */
export async function fleetFromPoolFlags(flags: readonly PoolUrlFlag[], probeTimeoutMs = 5000, identityKey?: string): Promise<LocalFleet> {
  // Pools that verify the caller identity answer the probe only when the gateway signs it.
  const signer = identityKey ? new IdentitySigner({ key: identityKey, fleet: LOCAL_FLEET_NAME }) : undefined;
  const pools = await Promise.all(
    flags.map(async ({ name, url }): Promise<PoolSpec> => {
      try {
        const headers: Record<string, string> = signer ? { [IDENTITY_HEADER]: await signer.tokenFor(GATEWAY_PRINCIPAL, name) } : {};
        const era = await probePoolEra(url, probeTimeoutMs, headers);
        return { name, image: 'external', tools: [], discoveryOnly: true, ...era };
      } catch (error) {
        throw new CliError(`--pool ${name}: ${url} did not complete an MCP handshake (${(error as Error).message})`, { cause: error });
      }
    }),
  );
  const spec: FleetSpec = { name: LOCAL_FLEET_NAME, pools };
  return { spec: parseFleetSpec(spec, '--pool flags'), poolUrls: Object.fromEntries(flags.map((f) => [f.name, f.url])) };
}
