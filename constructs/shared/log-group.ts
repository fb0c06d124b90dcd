import { RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/**
 * A log group with the fleet's retention and, when given, KMS encryption. Kept on stack deletion:
 * logs outlive the resources they describe (incident reviews, audits).
 */
export function fleetLogGroup(scope: Construct, id: string, retentionDays: number, encryptionKey?: kms.IKey, logGroupName?: string): logs.LogGroup {
  return new logs.LogGroup(scope, id, {
    retention: retentionDays as logs.RetentionDays,
    removalPolicy: RemovalPolicy.RETAIN,
    ...(encryptionKey ? { encryptionKey } : {}),
    ...(logGroupName ? { logGroupName } : {}),
  });
}
