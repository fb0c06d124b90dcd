/**
 * McpSidecar (Pulumi): an MCP server container of any server kind for an existing task definition
 * (the twin of the CDK `McpSidecar`). A Pulumi task definition takes its containers as one JSON
 * document, so this component renders the server's container definition and volumes for you to put in
 * yours (`containerDefinitions: pulumi.jsonStringify([app, sidecar.containerDefinition])`,
 * `volumes: [...sidecar.volumes]`); the task's other containers call it on localhost (`url`). It runs as
 * the pool user on a read-only root filesystem, logs to its own log group, and stdio servers get the
 * bridge's health check. Built images (build, stdio) are pushed to an ECR repository of the sidecar.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { planSidecar, type ContainerHealthCheckPlan, type SidecarPlan, type SidecarServerSpec } from '../lib/plan';
import { awsLogs, containerEnvironment, containerHealthCheck, scratchMountPoints } from './container';
import { ecrPullStatements, logStreamsArn, policyDocument } from './iam';
import { fleetLogGroup } from './log-group';
import { renderPoolImage, type RenderedPoolImage } from './pool-image';

export interface McpSidecarArgs {
  /** The MCP server: a `container` (image or build) or a `stdio` command, as a pool's spec gives it. */
  readonly server: SidecarServerSpec;
  /**
   * Execution role (name) of the task: it is granted writing the sidecar's logs and pulling its built image.
   * @default - none: grant `logs:CreateLogStream`/`PutLogEvents` and the ECR pull yourself
   */
  readonly executionRoleName?: pulumi.Input<string>;
  /**
   * Days the sidecar's log group keeps events.
   * @default 30
   */
  readonly logRetentionDays?: number;
  /** @default - CloudWatch Logs' own encryption */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /** @default - the provider's region */
  readonly region?: pulumi.Input<string>;
  /**
   * A health check for a `container` server (stdio servers always get the bridge's `/health` check).
   * @default - none for container servers
   */
  readonly healthCheck?: ContainerHealthCheckPlan;
  /** @default true */
  readonly essential?: boolean;
}

const TYPE = 'mcp-fleet:index:McpSidecar';

export class McpSidecar extends pulumi.ComponentResource {
  public readonly plan: SidecarPlan;
  /** `http://localhost:<port><mcpPath>`: the URL the task's other containers call. */
  public readonly url: string;
  public readonly image: RenderedPoolImage;
  public readonly logGroup: aws.cloudwatch.LogGroup;
  /** The container definition (JSON-ready) to add to the task definition. */
  public readonly containerDefinition: pulumi.Output<pulumi.UnwrappedObject<Record<string, unknown>>>;
  /** The scratch volumes to add to the task definition. */
  public readonly volumes: ReadonlyArray<{ readonly name: string }>;
  /** A `dependsOn` entry that makes another container wait for the sidecar (HEALTHY with a health check, else START). */
  public readonly dependency: { readonly containerName: string; readonly condition: 'HEALTHY' | 'START' };

  constructor(name: string, args: McpSidecarArgs, opts?: pulumi.ComponentResourceOptions) {
    // Synchronous: a bad server spec fails here, before anything is registered.
    const plan = planSidecar(args.server, `McpSidecar ${name}`);
    super(TYPE, name, {}, opts);
    this.plan = plan;
    this.url = plan.url;
    const parent = { parent: this };
    this.image = renderPoolImage(name, plan.name, plan.image, this);
    this.logGroup = fleetLogGroup(`${name}-logs`, { retentionDays: args.logRetentionDays ?? 30, ...(args.kmsKeyArn ? { kmsKeyArn: args.kmsKeyArn } : {}) }, this);
    const region = args.region ?? aws.getRegionOutput({}, parent).region;
    const healthCheck = plan.healthCheck ?? args.healthCheck;
    this.volumes = plan.scratchVolumes.map((v) => ({ name: v.name }));
    this.dependency = { containerName: plan.name, condition: healthCheck ? 'HEALTHY' : 'START' };
    const definition: Record<string, pulumi.Input<unknown>> = {
      name: plan.name,
      image: this.image.ref,
      essential: args.essential ?? true,
      user: plan.user,
      readonlyRootFilesystem: plan.readonlyRootFilesystem,
      portMappings: [{ name: plan.name, containerPort: plan.port, protocol: 'tcp' }],
      stopTimeout: plan.stopTimeoutSeconds,
      environment: containerEnvironment(plan.environment),
      mountPoints: scratchMountPoints(plan.scratchVolumes),
      ...(healthCheck ? { healthCheck: containerHealthCheck(healthCheck) } : {}),
      logConfiguration: awsLogs(this.logGroup.name, region, plan.name),
    };
    this.containerDefinition = pulumi.output(definition);
    if (args.executionRoleName) {
      new aws.iam.RolePolicy(
        `${name}-execution`,
        {
          role: args.executionRoleName,
          policy: policyDocument([
            { Sid: 'WriteSidecarLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [logStreamsArn(this.logGroup.arn)] },
            ...ecrPullStatements(this.image.ecrRepositoryArn),
          ]),
        },
        parent,
      );
    }
    this.registerOutputs({ url: this.url, image: this.image.ref });
  }
}
