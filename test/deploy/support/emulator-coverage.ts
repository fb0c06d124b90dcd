/**
 * What the emulator's CloudFormation really created out of a template, and what it did not — so a
 * test can say which resources its SDK assertions cover and which stay covered only by the
 * template assertions, instead of pretending everything deployed.
 */
import type { DeployedResource, SynthesizedTemplate } from './stack-inventory';

/**
 * Types moto 5.2's CloudFormation has no model for: it logs "No Moto CloudFormation support for
 * <type>", creates nothing and still completes the stack. Each entry says what is therefore not
 * deployed; the settings of these resources are asserted on the synthesized template by the
 * construct tests. (Types the fleet reads by Fn::GetAtt cannot be skipped, or the stack fails: the
 * harness's server adds models for those, see test/deploy/emulator/moto_server_with_models.py.)
 */
export const EMULATOR_SKIPPED_TYPES: Readonly<Record<string, string>> = {
  'AWS::CDK::Metadata': 'CDK version reporting only; no service resource behind it',
  'AWS::S3::BucketPolicy': 'bucket policies (TLS-only access, ALB log delivery) are not applied',
  'AWS::EC2::SecurityGroupEgress': 'egress rules between security groups are not created',
  'AWS::ElastiCache::ServerlessCache': 'the serverless session store is not created',
  'AWS::WAFv2::WebACL': 'the web ACL (managed rules, rate limits) is not created',
  'AWS::WAFv2::WebACLAssociation': 'the web ACL is not attached to the load balancer',
  'AWS::WAFv2::LoggingConfiguration': 'WAF logging is not configured',
  'AWS::ApplicationAutoScaling::ScalableTarget': 'pool scaling bounds are not registered',
  'AWS::ApplicationAutoScaling::ScalingPolicy': 'scaling policies (CPU, request count, queue backlog and job age) are not created',
  'AWS::SQS::QueuePolicy': "queue pools' TLS-only queue policies are not applied",
  'AWS::ECS::ClusterCapacityProviderAssociations': 'Fargate capacity providers are not associated',
};

/**
 * Custom resources: moto records them as created, but it runs their provider Lambda in Docker,
 * which this machine lacks, so their handler never runs and whatever it would do is not verified.
 */
export const CUSTOM_RESOURCE_REASON = 'recorded as CREATE_COMPLETE by moto, but its provider Lambda (run in Docker by moto) never ran';

/**
 * Custom resource types whose call the harness's server makes itself (CDK's AwsCustomResource: one
 * SDK call against the emulator), so they count as created.
 */
export const CUSTOM_RESOURCE_TYPES_RUN_BY_HARNESS: ReadonlySet<string> = new Set(['Custom::AWS']);

/** A template resource the emulator's outcome does not explain. */
export interface UnexplainedResource {
  readonly logicalId: string;
  readonly type: string;
  /** What happened to it: not created, a status other than CREATE_COMPLETE, or created although listed as skipped. */
  readonly problem: string;
}

/** The emulator's outcome for every resource of a template. */
export interface EmulatorCoverage {
  /** Logical ids created with CREATE_COMPLETE (custom resources the harness does not run excluded), sorted. */
  readonly created: readonly string[];
  /** Logical ids the emulator skipped, by their (documented) type. */
  readonly skipped: ReadonlyMap<string, readonly string[]>;
  /** Logical ids of custom resources, which moto records without running them. */
  readonly customResourcesNotRun: readonly string[];
  /** Everything else: the test fails on these. */
  readonly unexplained: readonly UnexplainedResource[];
}

/** True for `Custom::*` and `AWS::CloudFormation::CustomResource` (run by the harness or not). */
export function isCustomResourceType(type: string): boolean {
  return type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';
}

/**
 * Compares a template with what CloudFormation reports. A resource is explained when it was created,
 * is a custom resource, or was skipped and its type is in {@link EMULATOR_SKIPPED_TYPES}.
 */
export function emulatorCoverage(template: SynthesizedTemplate, deployed: ReadonlyMap<string, DeployedResource>): EmulatorCoverage {
  const created: string[] = [];
  const skipped = new Map<string, string[]>();
  const customResourcesNotRun: string[] = [];
  const unexplained: UnexplainedResource[] = [];
  for (const [logicalId, { Type: type }] of Object.entries(template.Resources)) {
    const resource = deployed.get(logicalId);
    const documentedSkip = type in EMULATOR_SKIPPED_TYPES;
    if (resource === undefined) {
      if (documentedSkip) skipped.set(type, [...(skipped.get(type) ?? []), logicalId]);
      else unexplained.push({ logicalId, type, problem: 'not created, and its type is not a documented emulator gap' });
    } else if (resource.status !== 'CREATE_COMPLETE') {
      unexplained.push({ logicalId, type, problem: `status ${resource.status}` });
    } else if (documentedSkip) {
      unexplained.push({ logicalId, type, problem: 'created, although its type is listed as skipped by the emulator' });
    } else if (isCustomResourceType(type) && !CUSTOM_RESOURCE_TYPES_RUN_BY_HARNESS.has(type)) {
      customResourcesNotRun.push(logicalId);
    } else {
      created.push(logicalId);
    }
  }
  return { created: created.sort(), skipped, customResourcesNotRun: customResourcesNotRun.sort(), unexplained };
}
