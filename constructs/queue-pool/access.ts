/**
 * Who may use a queue pool's queue, from the plan's `QUEUE_ACCESS`: the gateway may only send, the
 * pool's workers may only consume their own queue. The key statements hold only through SQS
 * (`kms:ViaService`), so the fleet key is no general decryption oracle for either.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { QUEUE_ACCESS, sqsViaService } from '../../lib/plan';

/** Grants one side of the queues (`send` for the gateway, `consume` for a pool's workers) to `grantee`. */
export function grantQueueAccess(scope: Construct, grantee: iam.IGrantable, side: keyof typeof QUEUE_ACCESS, queues: readonly sqs.IQueue[]): void {
  if (queues.length === 0) return;
  const access = QUEUE_ACCESS[side];
  grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...access.queueActions], resources: queues.map((q) => q.queueArn) }));
  const keys = [...new Set(queues.flatMap((q) => (q.encryptionMasterKey ? [q.encryptionMasterKey.keyArn] : [])))];
  if (keys.length === 0) return;
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: [...access.keyActions],
      resources: keys,
      conditions: { StringEquals: { 'kms:ViaService': sqsViaService(Stack.of(scope).region) } },
    }),
  );
}
