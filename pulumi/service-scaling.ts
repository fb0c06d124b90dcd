/**
 * Application Auto Scaling for an ECS service (a tool pool or the gateway service): the scalable
 * target on its desired count and a factory for target-tracking policies on it, with the plan's
 * cooldowns. Resource names are `${name}-scaling` and `${name}-${suffix}`.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

/** What both services' scaling plans share. */
export interface ServiceScalingPlan {
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly scaleInCooldownSeconds: number;
  readonly scaleOutCooldownSeconds: number;
}

export interface ServiceScaling {
  readonly scalableTarget: aws.appautoscaling.Target;
  /** Adds a target-tracking policy `${name}-${suffix}` on the service. */
  trackingPolicy(suffix: string, config: aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfiguration): aws.appautoscaling.Policy;
}

export function serviceScaling(
  name: string,
  service: { readonly clusterName: pulumi.Input<string>; readonly serviceName: pulumi.Input<string> },
  plan: ServiceScalingPlan,
  opts: pulumi.CustomResourceOptions,
): ServiceScaling {
  const scalableTarget = new aws.appautoscaling.Target(
    `${name}-scaling`,
    {
      serviceNamespace: 'ecs',
      scalableDimension: 'ecs:service:DesiredCount',
      resourceId: pulumi.interpolate`service/${service.clusterName}/${service.serviceName}`,
      minCapacity: plan.minCapacity,
      maxCapacity: plan.maxCapacity,
    },
    opts,
  );
  return {
    scalableTarget,
    trackingPolicy: (suffix, config) =>
      new aws.appautoscaling.Policy(
        `${name}-${suffix}`,
        {
          policyType: 'TargetTrackingScaling',
          serviceNamespace: scalableTarget.serviceNamespace,
          scalableDimension: scalableTarget.scalableDimension,
          resourceId: scalableTarget.resourceId,
          targetTrackingScalingPolicyConfiguration: { ...config, scaleInCooldown: plan.scaleInCooldownSeconds, scaleOutCooldown: plan.scaleOutCooldownSeconds },
        },
        opts,
      ),
  };
}
