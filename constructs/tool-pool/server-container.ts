import { Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { PoolContainerPlan } from '../../lib/plan';
import { POOL_ENV } from '../../lib/spec';
import { containerHealthCheck, mergeProps } from '../shared';
import { poolContainerImage } from './images';

export interface ServerContainerOptions {
  /** This pool's own identity secret, the only secret the plan gives the server. */
  readonly identitySecret: secretsmanager.ISecret;
  readonly logGroup: logs.ILogGroup;
  readonly streamPrefix: string;
  /** The user's `containerProps`. @default - none */
  readonly userProps?: Partial<ecs.ContainerDefinitionOptions>;
  /** @default - none: only containers of the same task reach the server (on loopback) */
  readonly portMappings?: ecs.PortMapping[];
}

/**
 * The options of a pool's MCP server container (a tool pool's, or a queue pool's beside its worker):
 * the plan's image, health check, stop timeout and logs as defaults; non-root user and read-only root
 * filesystem enforced; user environment and secrets add to the plan's, and the pool contract
 * (`POOL_ENV`) always wins.
 */
export function serverContainerOptions(scope: Construct, c: PoolContainerPlan, options: ServerContainerOptions): ecs.ContainerDefinitionOptions {
  const contract = new Set<string>(Object.values(POOL_ENV));
  const contractEnvironment = Object.fromEntries(Object.entries(c.environment).filter(([name]) => contract.has(name)));
  const user = options.userProps;
  return mergeProps<ecs.ContainerDefinitionOptions>(
    {
      image: poolContainerImage(scope, c.image),
      ...(c.healthCheck ? { healthCheck: containerHealthCheck(c.healthCheck) } : {}),
      stopTimeout: Duration.seconds(c.stopTimeoutSeconds),
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: options.streamPrefix, logGroup: options.logGroup }),
    },
    user,
    {
      ...(options.portMappings ? { portMappings: options.portMappings } : {}),
      user: c.user,
      readonlyRootFilesystem: c.readonlyRootFilesystem,
      environment: { ...c.environment, ...user?.environment, ...contractEnvironment },
      secrets: { ...user?.secrets, ...Object.fromEntries(c.secrets.map((s) => [s.name, ecs.Secret.fromSecretsManager(options.identitySecret)])) },
    },
  );
}
