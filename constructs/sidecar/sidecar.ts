/**
 * McpSidecar: an MCP server container of any server kind added to an existing task definition (the
 * seed's sidecar pattern). The task's other containers call it on localhost (`url`); it runs as the
 * pool user on a read-only root filesystem with its own scratch volumes, logs to CloudWatch, and (for
 * stdio servers, or when given) has a container health check that dependents can wait for.
 */
import { Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { planSidecar, type ContainerHealthCheckPlan, type SidecarPlan, type SidecarServerSpec } from '../../lib/plan';
import { containerHealthCheck, fleetLogGroup, planned } from '../shared';
import { grantImagePull, poolContainerImage } from '../tool-pool/images';

export interface McpSidecarProps {
  /** The task definition to add the server to (its other containers reach it on localhost). */
  readonly taskDefinition: ecs.TaskDefinition;
  /** The MCP server: a `container` (image or build) or a `stdio` command, as a pool's spec gives it. */
  readonly server: SidecarServerSpec;
  /**
   * Log group of the server's output.
   * @default - a new log group kept for 30 days, encrypted with `encryptionKey` when given
   */
  readonly logGroup?: logs.ILogGroup;
  /**
   * Key that encrypts the new log group.
   * @default - CloudWatch Logs' own encryption
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * A health check for a `container` server (stdio servers always get the bridge's `/health` check).
   * @default - none for container servers (the image may have no probe tool)
   */
  readonly healthCheck?: ContainerHealthCheckPlan;
  /**
   * Whether the task stops when the server stops.
   * @default true
   */
  readonly essential?: boolean;
}

/** Days the default log group keeps events. */
const DEFAULT_LOG_RETENTION_DAYS = 30;

export class McpSidecar extends Construct {
  public readonly plan: SidecarPlan;
  /** `http://localhost:<port><mcpPath>`: the URL the task's other containers call. */
  public readonly url: string;
  public readonly container: ecs.ContainerDefinition;
  public readonly logGroup: logs.ILogGroup;
  /** Whether the container has a health check (dependents then wait for HEALTHY). */
  public readonly hasHealthCheck: boolean;

  constructor(scope: Construct, id: string, props: McpSidecarProps) {
    super(scope, id);
    this.plan = planned(this, () => planSidecar(props.server, this.node.path));
    this.url = this.plan.url;
    const p = this.plan;
    this.logGroup = props.logGroup ?? fleetLogGroup(this, 'Logs', DEFAULT_LOG_RETENTION_DAYS, props.encryptionKey);
    const healthCheck = p.healthCheck ?? props.healthCheck;
    this.hasHealthCheck = healthCheck !== undefined;

    for (const v of p.scratchVolumes) props.taskDefinition.addVolume({ name: v.name });
    this.container = props.taskDefinition.addContainer(p.name, {
      image: poolContainerImage(this, p.image),
      user: p.user,
      readonlyRootFilesystem: p.readonlyRootFilesystem,
      portMappings: [{ containerPort: p.port, name: p.name }],
      environment: { ...p.environment },
      stopTimeout: Duration.seconds(p.stopTimeoutSeconds),
      essential: props.essential ?? true,
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: p.name, logGroup: this.logGroup }),
      ...(healthCheck ? { healthCheck: containerHealthCheck(healthCheck) } : {}),
    });
    this.container.addMountPoints(...p.scratchVolumes.map((v) => ({ sourceVolume: v.name, containerPath: v.containerPath, readOnly: false })));
    grantImagePull(this, props.taskDefinition, p.image);
  }

  /**
   * Makes `container` start only after the server is healthy (or, without a health check, started).
   */
  public startBefore(container: ecs.ContainerDefinition): void {
    container.addContainerDependencies({ container: this.container, condition: this.hasHealthCheck ? ecs.ContainerDependencyCondition.HEALTHY : ecs.ContainerDependencyCondition.START });
  }
}
