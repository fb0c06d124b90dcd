/**
 * Queue pools' queues as the gateway and the workers see them, from the plan's `QUEUE_ACCESS`: the
 * gateway may only send (to every queue pool's queue), a pool's workers may only consume their own
 * queue. The key statements hold only through SQS (`kms:ViaService`), so the fleet key is no general
 * decryption oracle for either.
 */
import * as pulumi from '@pulumi/pulumi';
import { QUEUE_ACCESS, queueUrlsJson, sqsViaService, type FleetPlan } from '../lib/plan';
import { McpComponentError } from './errors';
import type { PolicyStatement } from './iam';

/** What the gateway and the workers need of a queue pool's queue (an `aws.sqs.Queue` has both). */
export interface McpQueueRef {
  readonly arn: pulumi.Input<string>;
  readonly url: pulumi.Input<string>;
}

/**
 * The queue of every queue pool, in the plan's order, and none of anything else: the gateway sends
 * exactly the fleet's queue pools' jobs.
 * @throws McpComponentError naming the queue pools without a queue, or the queues of unknown pools.
 */
export function plannedQueues(where: string, fleet: FleetPlan, queues: Readonly<Record<string, McpQueueRef>> = {}): Array<[string, McpQueueRef]> {
  const pools = fleet.queuePools.map((p) => p.name);
  const missing = pools.filter((pool) => queues[pool] === undefined);
  if (missing.length > 0) throw new McpComponentError(where, `queues has no queue for queue pool ${missing.join(', ')}`);
  const unknown = Object.keys(queues).filter((pool) => !pools.includes(pool));
  if (unknown.length > 0) throw new McpComponentError(where, `queues names pools that are not queue pools of the spec: ${unknown.join(', ')}`);
  return pools.map((pool) => [pool, queues[pool]!]);
}

/** `GATEWAY_ENV.queueUrls` of the queues (undefined without queue pools). */
export function queueUrlsInput(queues: ReadonlyArray<[string, McpQueueRef]>): pulumi.Output<string> | undefined {
  if (queues.length === 0) return undefined;
  return pulumi.all(Object.fromEntries(queues.map(([pool, q]) => [pool, q.url]))).apply((urls) => queueUrlsJson(urls));
}

/**
 * One side's statements on the queues (`send` for the gateway, `consume` for a pool's workers).
 * @param kmsKeyArn the key that encrypts the queues (the fleet key).
 */
export function queueStatements(side: keyof typeof QUEUE_ACCESS, queues: readonly McpQueueRef[], kmsKeyArn: pulumi.Input<string> | undefined, region: pulumi.Input<string>): PolicyStatement[] {
  if (queues.length === 0) return [];
  const access = QUEUE_ACCESS[side];
  const sid = side === 'send' ? 'SendJobs' : 'ConsumeJobs';
  return [
    { Sid: sid, Effect: 'Allow', Action: [...access.queueActions], Resource: queues.map((q) => q.arn) },
    ...(kmsKeyArn
      ? [
          {
            Sid: `${sid}Key`,
            Effect: 'Allow' as const,
            Action: [...access.keyActions],
            Resource: [kmsKeyArn],
            Condition: { StringEquals: { 'kms:ViaService': pulumi.output(region).apply(sqsViaService) } },
          },
        ]
      : []),
  ];
}
