/**
 * The example fleet with Pulumi: the same spec as the CDK example (`examples/cdk/fleet-spec.ts`),
 * deployed by `McpFleet` from `mcp-fleet/pulumi`. The example pools' images are built from
 * examples/pools/build/<pool> (`npm run build` at the repository root first) and the stdio pool's
 * image is generated; `pulumi up` builds them with Docker (BuildKit) and pushes them to one ECR
 * repository per pool (`@pulumi/docker-build`).
 *
 *   pulumi config set aws:region us-east-1
 *   pulumi config set certificateArn arn:aws:acm:us-east-1:123456789012:certificate/...
 *   pulumi up
 */
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
// In your own program: import { McpFleet } from 'mcp-fleet/pulumi';
import { McpFleet, McpGateway, type McpVpcInput } from '../../pulumi';
import { exampleFleetSpec } from '../cdk/fleet-spec';
import type { FleetSpec, PoolSpec } from '../../lib/spec';

const config = new pulumi.Config();

/** An existing VPC when `vpcId` is set; its subnets must then be given too. */
function existingVpc(): McpVpcInput | undefined {
  const vpcId = config.get('vpcId');
  if (!vpcId) return undefined;
  const subnets = (key: string) => {
    const ids = config.requireObject<string[]>(key);
    if (ids.length < 2) throw new Error(`config ${key}: give subnets in at least two zones (got ${ids.length})`);
    return ids;
  };
  return { vpcId, publicSubnetIds: subnets('publicSubnetIds'), privateSubnetIds: subnets('privateSubnetIds') };
}

/** The repository root, against which the example spec's build directories are written. */
const REPO_ROOT = path.resolve(__dirname, '../..');

/** A build directory of the spec as `pulumi up` (run in this directory) must see it. */
function fromProgramDirectory(pool: PoolSpec): PoolSpec {
  if (pool.kind === 'stdio' || pool.build === undefined) return pool;
  const build = typeof pool.build === 'string' ? { directory: pool.build } : pool.build;
  return { ...pool, build: { ...build, directory: path.relative(process.cwd(), path.join(REPO_ROOT, build.directory)) } };
}

const spec: FleetSpec = { ...exampleFleetSpec, pools: exampleFleetSpec.pools.map(fromProgramDirectory) };
const vpc = existingVpc();
const domainName = config.get('domainName');
const fleet = new McpFleet('agents', {
  spec,
  certificateArn: config.require('certificateArn'),
  ...(vpc ? { vpc } : {}),
  ...(domainName ? { domainName } : {}),
});

/** What agents connect to. */
export const url = fleet.url;
/** Point `domainName` (a CNAME or alias record) here. */
export const loadBalancerDnsName = fleet.loadBalancer.loadBalancer.dnsName;
export const gatewayFunctionName = fleet.gateway instanceof McpGateway ? fleet.gateway.function.name : undefined;
export const clusterName = fleet.network.cluster.name;
export const sessionStoreHost = fleet.sessionStore.host;
export const webAclArn = fleet.firewall.webAcl.arn;
