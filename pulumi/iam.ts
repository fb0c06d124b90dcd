/** IAM documents shared by the components: trust policies and least-privilege statements. */
import * as pulumi from '@pulumi/pulumi';

/** One IAM policy statement; `Resource` lists concrete ARNs (no wildcard actions anywhere in this package). */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: readonly string[];
  readonly Resource: pulumi.Input<pulumi.Input<string>[]> | pulumi.Input<string>;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** Trust policy letting one AWS service assume a role. */
export function assumeRolePolicy(service: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });
}

/** A policy document from statements whose resources may be Outputs. */
export function policyDocument(statements: readonly PolicyStatement[]): pulumi.Output<string> {
  return pulumi.jsonStringify({ Version: '2012-10-17', Statement: statements });
}

/** The `:*` form IAM needs to address the log streams of a log group. */
export function logStreamsArn(logGroupArn: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.interpolate`${logGroupArn}:*`;
}

/** What pulling from private ECR repositories needs (none for other registries). */
export function ecrPullStatements(repositoryArns: pulumi.Input<string> | undefined | ReadonlyArray<pulumi.Input<string> | undefined>): PolicyStatement[] {
  const arns = (Array.isArray(repositoryArns) ? repositoryArns : [repositoryArns]).filter((arn): arn is pulumi.Input<string> => Boolean(arn));
  if (arns.length === 0) return [];
  return [
    // GetAuthorizationToken has no resource-level permissions: AWS requires "*".
    { Sid: 'EcrLogin', Effect: 'Allow', Action: ['ecr:GetAuthorizationToken'], Resource: '*' },
    { Sid: 'EcrPull', Effect: 'Allow', Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Resource: arns },
  ];
}
