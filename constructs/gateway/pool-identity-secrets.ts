import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { FleetPlan } from '../../lib/plan';
import { constructError } from '../shared';

/**
 * The gateway's pool identity secrets in spec order, one for every pool (queue pools too) and none
 * for anything else: the gateway signs for exactly the fleet's pools.
 * @throws a construct error naming the pools without a secret, or the secrets of unknown pools.
 */
export function plannedPoolIdentitySecrets(scope: Construct, fleet: FleetPlan, secrets: Readonly<Record<string, secretsmanager.ISecret>>): Array<[string, secretsmanager.ISecret]> {
  const pools = fleet.spec.pools.map((p) => p.name);
  const missing = pools.filter((pool) => secrets[pool] === undefined);
  if (missing.length > 0) throw constructError(scope, `poolIdentitySecrets has no secret for pool ${missing.join(', ')}`);
  const unknown = Object.keys(secrets).filter((pool) => !pools.includes(pool));
  if (unknown.length > 0) throw constructError(scope, `poolIdentitySecrets names pools that are not in the spec: ${unknown.join(', ')}`);
  return pools.map((pool) => [pool, secrets[pool]!]);
}
