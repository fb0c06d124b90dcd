/**
 * Pulumi mocks for programs that use mcp-fleet's components: `setFleetMocks()` replaces the engine
 * with in-process mocks that record every registered resource (type, name, inputs) and answer with
 * the outputs AWS would compute and the components read — load balancer and target group ARN
 * suffixes, cache endpoints, DNS names, log group names, availability zones, the caller identity — so
 * a program builds completely, without the Pulumi CLI or credentials. The Pulumi counterpart of CDK's
 * `Template`:
 *
 *   const mocks = setFleetMocks({ config: { certificateArn: 'arn:aws:acm:…' } });
 *   const { McpFleet } = await import('mcp-fleet/pulumi');   // after the mocks are in place
 *   new McpFleet('agents', { spec, certificateArn: 'arn:aws:acm:…' });
 *   await mocks.settled();
 *   expect(mocks.oneResource('aws:lb/listener:Listener', (r) => r.inputs.port === 443).inputs.sslPolicy)…
 *
 * `@pulumi/pulumi` is loaded when `setFleetMocks` runs (it is an optional peer), so CDK users of
 * `mcp-fleet/testing` never need it.
 */
import type * as pulumi from '@pulumi/pulumi';

/** One resource registration as the engine would have received it. */
export interface RecordedResource {
  /** Type token, e.g. `aws:lb/listener:Listener` or `mcp-fleet:index:McpFleet`. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** Inputs after Pulumi resolved every Output; secrets stay wrapped (see `isSecretValue`). */
  readonly inputs: Record<string, any>;
  /** false for component resources. */
  readonly custom: boolean;
}

export interface FleetMockOptions {
  /**
   * Project name; `new pulumi.Config()` in the program reads keys of this project.
   * @default 'mcp-fleet-test'
   */
  readonly project?: string;
  /** @default 'test' */
  readonly stack?: string;
  /** Account of mocked ARNs and of `aws.getCallerIdentity`. @default '123456789012' */
  readonly account?: string;
  /** The provider's region (`aws:region`) and that of mocked ARNs. @default 'us-east-1' */
  readonly region?: string;
  /** What `aws.getAvailabilityZones` returns. @default - zones a, b and c of the region */
  readonly availabilityZones?: readonly string[];
  /**
   * Stack configuration, as `pulumi config set` gives it: keys without a namespace belong to the
   * project (`certificateArn` → `<project>:certificateArn`), others keep theirs (`aws:profile`).
   * @default {}
   */
  readonly config?: Readonly<Record<string, string>>;
}

/** What `setFleetMocks` recorded, with lookups for assertions. */
export interface FleetMocks {
  /** Every registration so far, in order. */
  readonly resources: readonly RecordedResource[];
  /** Resources of one type token, optionally narrowed by a predicate. */
  resourcesOfType(type: string, where?: (r: RecordedResource) => boolean): RecordedResource[];
  /** The one resource of a type that satisfies `where`; throws listing the candidates otherwise. */
  oneResource(type: string, where?: (r: RecordedResource) => boolean): RecordedResource;
  /** Count of custom resources per type token, sorted by type. */
  countsByType(): Record<string, number>;
  /** Resolves once no registration has happened for `turns` event-loop turns: the program is declared. */
  settled(turns?: number): Promise<void>;
  /** Forgets what was recorded (between tests that build separate components). */
  reset(): void;
}

/** A provider function the mocks do not answer: the message says which one. */
export class MissingMockError extends Error {
  constructor(public readonly token: string) {
    super(`setFleetMocks: no mock for the provider function ${token}; mcp-fleet's components do not call it`);
    this.name = 'MissingMockError';
  }
}

/** Pulumi's wire form of a secret, as mocks receive it. */
const SECRET_SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';
/** What the mocked `secretsmanager.getRandomPassword` returns (cut to the asked length). */
const MOCK_RANDOM_PASSWORD = 'mockRandomPassword0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ';
/** The ALB and Global Accelerator hosted zones of us-east-1 (any fixed value works in mocks). */
const ALB_ZONE_ID = 'Z35SXDOTRQ7X7K';
const ACCELERATOR_ZONE_ID = 'Z2BJ6XQ5FK7U4H';

/** Whether an input is a secret (the components keep passwords and keys secret). */
export function isSecretValue(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/** The plain value of a possibly secret input. */
export function unwrapSecret<T = unknown>(value: unknown): T {
  return (isSecretValue(value) ? (value as { value: unknown }).value : value) as T;
}

/** `aws:lb/targetGroup:TargetGroup` → `lb`, the service part of mocked ARNs. */
function serviceOf(type: string): string {
  const [pkg, module] = type.split(':');
  return pkg === 'aws' ? (module ?? 'x').split('/')[0]! : pkg!;
}

/** Digest a mocked image build reports. */
const MOCK_IMAGE_DIGEST = `sha256:${'0'.repeat(64)}`;

interface Env {
  readonly account: string;
  readonly region: string;
  readonly zones: readonly string[];
}

/** Outputs AWS computes that the components read from their children. */
function computedOutputs(env: Env, type: string, name: string, inputs: Record<string, any>): Record<string, unknown> {
  const { account, region } = env;
  const arn = `arn:aws:${serviceOf(type)}:${region}:${account}:${type.split(':').pop()!.toLowerCase()}/${name}`;
  const base = { arn, name: inputs.name ?? name };
  switch (type) {
    case 'aws:lb/loadBalancer:LoadBalancer':
      return { ...base, dnsName: `${name}.${region}.elb.amazonaws.com`, arnSuffix: `app/${name}/0123456789abcdef`, zoneId: ALB_ZONE_ID };
    case 'aws:lb/targetGroup:TargetGroup':
      return { ...base, arnSuffix: `targetgroup/${name}/0123456789abcdef` };
    case 'aws:elasticache/replicationGroup:ReplicationGroup':
      return { ...base, primaryEndpointAddress: `master.${name}.cache.amazonaws.com`, port: inputs.port ?? 6379 };
    case 'aws:elasticache/serverlessCache:ServerlessCache':
      return { ...base, endpoints: [{ address: `${name}.serverless.cache.amazonaws.com`, port: 6379 }] };
    case 'aws:globalaccelerator/accelerator:Accelerator':
      return { ...base, dnsName: `${name}.awsglobalaccelerator.com`, hostedZoneId: ACCELERATOR_ZONE_ID };
    case 'aws:lambda/function:Function':
      return { ...base, invokeArn: `arn:aws:apigateway:${region}:lambda:path/functions/${arn}/invocations` };
    case 'aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace':
      return { ...base, hostedZone: `Z${name.toUpperCase()}` };
    case 'aws:cloudwatch/logGroup:LogGroup':
      return { ...base, name: inputs.name ?? `/mock/${name}` };
    case 'aws:ecr/repository:Repository':
      return { ...base, registryId: account, repositoryUrl: `${account}.dkr.ecr.${region}.amazonaws.com/${name}` };
    case 'docker-build:index:Image':
      // What a push reports: the first tag pinned to the pushed digest.
      return { ...base, digest: MOCK_IMAGE_DIGEST, ref: `${String(inputs.tags?.[0] ?? name)}@${MOCK_IMAGE_DIGEST}` };
    case 'aws:sqs/queue:Queue': {
      // SQS ARNs and URLs name the queue without a resource type.
      const queue = String(inputs.name ?? name);
      return { ...base, name: queue, arn: `arn:aws:sqs:${region}:${account}:${queue}`, url: `https://sqs.${region}.amazonaws.com/${account}/${queue}` };
    }
    case 'aws:kms/key:Key':
      return { ...base, arn: `arn:aws:kms:${region}:${account}:key/${name}-0000-4000-8000-000000000000`, keyId: `${name}-0000-4000-8000-000000000000` };
    case 'aws:s3/bucket:Bucket':
    case 'aws:s3/bucketV2:BucketV2':
      return { ...base, bucket: inputs.bucket ?? name };
    default:
      return base;
  }
}

function mockCall(env: Env, token: string, inputs: Record<string, any>): Record<string, unknown> {
  const { account, region, zones } = env;
  switch (token) {
    case 'aws:index/getAvailabilityZones:getAvailabilityZones':
      return { names: zones, zoneIds: zones.map((_, i) => `${region.replace(/-/g, '').slice(0, 4)}-az${i + 1}`), id: region };
    case 'aws:index/getRegion:getRegion':
      return { name: region, region, id: region };
    case 'aws:index/getCallerIdentity:getCallerIdentity':
      return { accountId: account, arn: `arn:aws:iam::${account}:user/mock`, userId: 'mock', id: account };
    case 'aws:index/getPartition:getPartition':
      return { partition: 'aws', dnsSuffix: 'amazonaws.com', id: 'aws' };
    case 'aws:secretsmanager/getRandomPassword:getRandomPassword':
      return { randomPassword: MOCK_RANDOM_PASSWORD.slice(0, inputs.passwordLength ?? 32), id: 'random' };
    case 'aws:ecr/getAuthorizationToken:getAuthorizationToken':
      return {
        userName: 'AWS',
        password: 'mock-ecr-token',
        authorizationToken: 'mock',
        proxyEndpoint: `https://${account}.dkr.ecr.${region}.amazonaws.com`,
        expiresAt: '2030-01-01T00:00:00Z',
        id: account,
      };
    case 'aws:elb/getServiceAccount:getServiceAccount':
      return { arn: 'arn:aws:iam::127311923021:root', id: '127311923021' };
    default:
      throw new MissingMockError(token);
  }
}

/**
 * Puts the mocks in place (process-wide, as `pulumi.runtime.setMocks` does): call it before the
 * program creates resources. Jest gives each test file its own module registry, hence its own mocks.
 */
export function setFleetMocks(options: FleetMockOptions = {}): FleetMocks {
  // The optional peer, loaded only by Pulumi users.
  const { runtime } = require('@pulumi/pulumi') as typeof pulumi;
  const project = options.project ?? 'mcp-fleet-test';
  const region = options.region ?? 'us-east-1';
  const env: Env = { account: options.account ?? '123456789012', region, zones: options.availabilityZones ?? ['a', 'b', 'c'].map((z) => `${region}${z}`) };
  const recorded: RecordedResource[] = [];

  // As `pulumi config set aws:region` gives it to a real program (McpFleet names its dashboard after it).
  runtime.setConfig('aws:region', region);
  for (const [key, value] of Object.entries(options.config ?? {})) runtime.setConfig(key.includes(':') ? key : `${project}:${key}`, value);
  void runtime.setMocks(
    {
      newResource(args) {
        recorded.push({ type: args.type, name: args.name, inputs: args.inputs, custom: args.custom ?? true });
        return { id: args.custom === false ? undefined : `${args.name}-id`, state: { ...args.inputs, ...computedOutputs(env, args.type, args.name, args.inputs) } };
      },
      call: (args) => mockCall(env, args.token, args.inputs),
    },
    project,
    options.stack ?? 'test',
    false,
  );

  const resourcesOfType = (type: string, where?: (r: RecordedResource) => boolean) => recorded.filter((r) => r.type === type && (!where || where(r)));
  return {
    resources: recorded,
    resourcesOfType,
    oneResource(type, where) {
      const found = resourcesOfType(type, where);
      if (found.length !== 1) {
        const names = resourcesOfType(type).map((r) => r.name);
        throw new RangeError(`expected exactly one ${type}${where ? ' matching the predicate' : ''}, found ${found.length} (all of this type: ${names.join(', ') || 'none'})`);
      }
      return found[0]!;
    },
    countsByType() {
      const counts: Record<string, number> = {};
      for (const r of recorded) if (r.custom) counts[r.type] = (counts[r.type] ?? 0) + 1;
      return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
    },
    async settled(turns = 5) {
      // Everything is in-process: a few quiet turns of the event loop mean the program is declared.
      let quiet = 0;
      let seen = recorded.length;
      while (quiet < turns) {
        await new Promise((resolve) => setImmediate(resolve));
        quiet = recorded.length === seen ? quiet + 1 : 0;
        seen = recorded.length;
      }
    },
    reset: () => void (recorded.length = 0),
  };
}
