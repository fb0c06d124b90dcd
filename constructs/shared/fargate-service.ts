/** The Fargate service of a tool pool or of the gateway service, from the plan's deployment settings. */
import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { Construct } from 'constructs';
import type { FargateServicePlan } from '../../lib/plan';
import { mergeProps } from './props';

export interface PlannedFargateServiceOptions {
  readonly cluster: ecs.ICluster;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly securityGroup: ec2.ISecurityGroup;
  /** Planned settings the user may override (e.g. the service name). @default {} */
  readonly defaults?: Partial<ecs.FargateServiceProps>;
  /** Settings the user may not override beside the network and deployment safety ones (e.g. Cloud Map). @default {} */
  readonly enforced?: Partial<ecs.FargateServiceProps>;
  /** The user's `serviceProps`. @default - none */
  readonly userProps?: Partial<ecs.FargateServiceProps>;
}

/** `new ecs.FargateService(scope, 'Service', …)`: private subnets, no public IP, circuit breaker with rollback, no exec. */
export function plannedFargateService(scope: Construct, plan: FargateServicePlan, options: PlannedFargateServiceOptions): ecs.FargateService {
  return new ecs.FargateService(
    scope,
    'Service',
    mergeProps<ecs.FargateServiceProps>(
      {
        ...options.defaults,
        desiredCount: plan.desiredCount,
        minHealthyPercent: plan.minHealthyPercent,
        maxHealthyPercent: plan.maxHealthyPercent,
        healthCheckGracePeriod: Duration.seconds(plan.healthCheckGracePeriodSeconds),
        propagateTags: ecs.PropagatedTagSource.SERVICE,
      },
      options.userProps,
      {
        cluster: options.cluster,
        taskDefinition: options.taskDefinition,
        securityGroups: [options.securityGroup],
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        assignPublicIp: plan.assignPublicIp,
        circuitBreaker: { enable: plan.circuitBreaker.enable, rollback: plan.circuitBreaker.rollback },
        enableExecuteCommand: false,
        ...options.enforced,
      },
    ),
  );
}
