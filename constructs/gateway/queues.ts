import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { queueUrlsJson, type FleetPlan, type GatewayEnvInput } from '../../lib/plan';
import { constructError } from '../shared';

/**
 * The queue of every queue pool, in the plan's order, and none of anything else: the gateway sends
 * exactly the fleet's queue pools' jobs.
 * @throws a construct error naming the queue pools without a queue, or the queues of unknown pools.
 */
export function plannedQueues(scope: Construct, fleet: FleetPlan, queues: Readonly<Record<string, sqs.IQueue>> = {}): Array<[string, sqs.IQueue]> {
  const pools = fleet.queuePools.map((p) => p.name);
  const missing = pools.filter((pool) => queues[pool] === undefined);
  if (missing.length > 0) throw constructError(scope, `queues has no queue for queue pool ${missing.join(', ')}`);
  const unknown = Object.keys(queues).filter((pool) => !pools.includes(pool));
  if (unknown.length > 0) throw constructError(scope, `queues names pools that are not queue pools of the spec: ${unknown.join(', ')}`);
  return pools.map((pool) => [pool, queues[pool]!]);
}

/** The `queueUrls` input of the gateway environment, when the fleet has queue pools. */
export function queueUrlsInput(queues: ReadonlyArray<[string, sqs.IQueue]>): Partial<Record<GatewayEnvInput, string>> {
  return queues.length > 0 ? { queueUrls: queueUrlsJson(Object.fromEntries(queues.map(([pool, q]) => [pool, q.queueUrl]))) } : {};
}
