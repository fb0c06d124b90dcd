/** Log groups of the fleet: the plan's retention, optional KMS encryption, kept when the stack goes (logs outlive what they describe). */
import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';

export interface FleetLogGroupArgs {
  readonly retentionDays: number;
  /** @default - CloudWatch Logs' own encryption */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /** @default - a generated name */
  readonly name?: string;
}

export function fleetLogGroup(name: string, args: FleetLogGroupArgs, parent: pulumi.Resource): aws.cloudwatch.LogGroup {
  return new aws.cloudwatch.LogGroup(
    name,
    {
      retentionInDays: args.retentionDays,
      ...(args.kmsKeyArn ? { kmsKeyId: args.kmsKeyArn } : {}),
      ...(args.name ? { name: args.name } : {}),
    },
    { parent, retainOnDelete: true },
  );
}
