/**
 * The fleet's customer managed KMS key, rotated yearly: log groups, secrets and the session store
 * are encrypted with it (as in the CDK fleet). CloudWatch Logs may use it only for log groups of this
 * account and region.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export function fleetEncryptionKey(name: string, fleet: string, parent: pulumi.Resource): aws.kms.Key {
  const opts = { parent };
  const account = aws.getCallerIdentityOutput({}, opts).accountId;
  const region = aws.getRegionOutput({}, opts).region;
  const partition = aws.getPartitionOutput({}, opts).partition;
  return new aws.kms.Key(
    name,
    {
      description: `MCP fleet ${fleet}: logs, secrets and session store`,
      enableKeyRotation: true,
      policy: pulumi.jsonStringify({
        Version: '2012-10-17',
        Statement: [
          {
            // The default key policy: IAM policies of the account decide who may use the key.
            Sid: 'AccountAdministersKey',
            Effect: 'Allow',
            Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${account}:root` },
            Action: 'kms:*',
            Resource: '*',
          },
          {
            Sid: 'CloudWatchLogsOfThisAccount',
            Effect: 'Allow',
            Principal: { Service: pulumi.interpolate`logs.${region}.amazonaws.com` },
            Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
            Resource: '*',
            Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': pulumi.interpolate`arn:${partition}:logs:${region}:${account}:log-group:*` } },
          },
        ],
      }),
    },
    // Data encrypted with it (retained logs) outlives the fleet.
    { parent, retainOnDelete: true },
  );
}
