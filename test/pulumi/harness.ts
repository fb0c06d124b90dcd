/**
 * Pulumi mocks harness: replaces the engine with in-process mocks that record every registered
 * resource (type, name, inputs) and answer with plausible outputs (ids, ARNs, endpoints), so tests can
 * assert on what a component would ask AWS for — the Pulumi counterpart of CDK's `Template`.
 *
 * Import this module before any module that creates resources: `setMocks` must be in place first.
 * Mocks are process-global; jest gives every test file its own module registry, so keep one
 * component family per file.
 */
import * as pulumi from '@pulumi/pulumi';

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

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const MOCK_AZS = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
/** What the mocked `secretsmanager.getRandomPassword` returns. */
const MOCK_RANDOM_PASSWORD = 'mockRandomPassword0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ';

const recorded: RecordedResource[] = [];

/** Pulumi's wire form of a secret, as mocks receive it. */
const SECRET_SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

export function isSecretValue(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/** The plain value of a possibly secret input. */
export function unwrapSecret<T = unknown>(value: unknown): T {
  return (isSecretValue(value) ? (value as { value: unknown }).value : value) as T;
}

/** `aws:lb/targetGroup:TargetGroup` → `lb`, the service part used in mocked ARNs. */
function serviceOf(type: string): string {
  const [pkg, module] = type.split(':');
  return pkg === 'aws' ? (module ?? 'x').split('/')[0]! : pkg!;
}

/** Outputs AWS computes that the components read from their children. */
function computedOutputs(type: string, name: string, inputs: Record<string, any>): Record<string, unknown> {
  const arn = `arn:aws:${serviceOf(type)}:${REGION}:${ACCOUNT}:${type.split(':').pop()!.toLowerCase()}/${name}`;
  const base = { arn, name: inputs.name ?? name };
  switch (type) {
    case 'aws:lb/loadBalancer:LoadBalancer':
      return { ...base, dnsName: `${name}.${REGION}.elb.amazonaws.com`, arnSuffix: `app/${name}/0123456789abcdef`, zoneId: 'Z35SXDOTRQ7X7K' };
    case 'aws:lb/targetGroup:TargetGroup':
      return { ...base, arnSuffix: `targetgroup/${name}/0123456789abcdef` };
    case 'aws:elasticache/replicationGroup:ReplicationGroup':
      return { ...base, primaryEndpointAddress: `master.${name}.cache.amazonaws.com`, port: inputs.port ?? 6379 };
    case 'aws:elasticache/serverlessCache:ServerlessCache':
      return { ...base, endpoints: [{ address: `${name}.serverless.cache.amazonaws.com`, port: 6379 }] };
    case 'aws:globalaccelerator/accelerator:Accelerator':
      return { ...base, dnsName: `${name}.awsglobalaccelerator.com`, hostedZoneId: 'Z2BJ6XQ5FK7U4H' };
    case 'aws:lambda/function:Function':
      return { ...base, invokeArn: `arn:aws:apigateway:${REGION}:lambda:path/functions/${arn}/invocations` };
    case 'aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace':
      return { ...base, hostedZone: `Z${name.toUpperCase()}` };
    case 'aws:cloudwatch/logGroup:LogGroup':
      return { ...base, name: inputs.name ?? `/mock/${name}` };
    case 'aws:s3/bucket:Bucket':
    case 'aws:s3/bucketV2:BucketV2':
      return { ...base, bucket: inputs.bucket ?? name };
    default:
      return base;
  }
}

function mockCall(token: string, inputs: Record<string, any>): Record<string, unknown> {
  switch (token) {
    case 'aws:index/getAvailabilityZones:getAvailabilityZones':
      return { names: MOCK_AZS, zoneIds: MOCK_AZS.map((_, i) => `use1-az${i + 1}`), id: REGION };
    case 'aws:index/getRegion:getRegion':
      return { name: REGION, region: REGION, id: REGION };
    case 'aws:index/getCallerIdentity:getCallerIdentity':
      return { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/mock`, userId: 'mock', id: ACCOUNT };
    case 'aws:index/getPartition:getPartition':
      return { partition: 'aws', dnsSuffix: 'amazonaws.com', id: 'aws' };
    case 'aws:secretsmanager/getRandomPassword:getRandomPassword':
      return { randomPassword: MOCK_RANDOM_PASSWORD.slice(0, inputs.passwordLength ?? 32), id: 'random' };
    case 'aws:elb/getServiceAccount:getServiceAccount':
      return { arn: 'arn:aws:iam::127311923021:root', id: '127311923021' };
    default:
      throw new Error(`harness: no mock for the provider function ${token}; add one to test/pulumi/harness.ts`);
  }
}

/** The mocked project: named after the example program, so that its `pulumi.Config()` finds its keys. */
export const PROJECT = 'mcp-fleet-example';

// The provider's region, as `pulumi config set aws:region` gives it to a real program (McpFleet's
// monitoring names its dashboard after it).
pulumi.runtime.setConfig('aws:region', REGION);

void pulumi.runtime.setMocks(
  {
    newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
      recorded.push({ type: args.type, name: args.name, inputs: args.inputs, custom: args.custom ?? true });
      const state = { ...args.inputs, ...computedOutputs(args.type, args.name, args.inputs) };
      return { id: args.custom === false ? undefined : `${args.name}-id`, state };
    },
    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
      return mockCall(args.token, args.inputs);
    },
  },
  PROJECT,
  'test',
  false,
);

/** Resolves to the value of an Output (the documented `apply` pattern; mocks never preview, so values are known). */
export function valueOf<T>(value: pulumi.Input<T>): Promise<pulumi.Unwrap<T>> {
  return new Promise((resolve) => pulumi.output(value).apply((v) => resolve(v)));
}

/**
 * Tracks every resource created under a component: pass `tracker.options` as the component's resource
 * options. Transformations are inherited by children through `parent`, so a resource created without
 * `{ parent: this }` escapes the tracker — which `assertAllParented` turns into a test failure.
 */
export class ResourceTracker {
  private readonly created: pulumi.Resource[] = [];
  private readonly createdNames = new Set<string>();

  public readonly options: pulumi.ComponentResourceOptions = {
    transformations: [
      (args) => {
        this.created.push(args.resource);
        this.createdNames.add(`${args.type}::${args.name}`);
        return undefined;
      },
    ],
  };

  /** Waits until every tracked resource (and any it started meanwhile) has been registered. */
  public async settle(): Promise<void> {
    let awaited = 0;
    while (awaited < this.created.length) {
      const batch = this.created.slice(awaited);
      awaited = this.created.length;
      await Promise.all(batch.map((r) => valueOf(r.urn)));
    }
  }

  /** `type::name` of every resource the tracker saw (children of the tracked component). */
  public names(): ReadonlySet<string> {
    return this.createdNames;
  }
}

/**
 * Declares components under a fresh tracker and waits until all their resources are registered.
 * Pulumi formats `new Error().stack` for every internal promise (for leak reports), and jest maps each
 * frame through source maps: with stack traces off while declaring, a fleet takes a third of the time.
 * Assertions run afterwards, with stack traces back on.
 */
export async function declare<T>(create: (options: pulumi.ComponentResourceOptions) => T): Promise<{ component: T; tracker: ResourceTracker }> {
  const tracker = new ResourceTracker();
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const component = create(tracker.options);
    await tracker.settle();
    return { component, tracker };
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * Waits until no registration has happened for a few event-loop turns. For programs (like the
 * example) whose resources a tracker cannot reach; everything here is in-process, so quiet means done.
 */
export async function quiesce(turns = 5): Promise<void> {
  let quiet = 0;
  let seen = recorded.length;
  while (quiet < turns) {
    await new Promise((resolve) => setImmediate(resolve));
    quiet = recorded.length === seen ? quiet + 1 : 0;
    seen = recorded.length;
  }
}

/** Every registration so far, in order. */
export function allResources(): readonly RecordedResource[] {
  return recorded;
}

/** Forgets what was recorded (call between tests that build separate components). */
export function resetRecording(): void {
  recorded.length = 0;
}

/** Resources of one type token, optionally narrowed by a predicate on their inputs or name. */
export function resourcesOfType(type: string, where?: (r: RecordedResource) => boolean): RecordedResource[] {
  return recorded.filter((r) => r.type === type && (!where || where(r)));
}

/** The one resource of a type that satisfies `where`; throws listing candidates otherwise. */
export function oneResource(type: string, where?: (r: RecordedResource) => boolean): RecordedResource {
  const found = resourcesOfType(type, where);
  if (found.length !== 1) {
    const names = resourcesOfType(type).map((r) => r.name);
    throw new Error(`expected exactly one ${type}${where ? ' matching the predicate' : ''}, found ${found.length} (all of this type: ${names.join(', ') || 'none'})`);
  }
  return found[0]!;
}

/** Count of (custom) resources per type token. */
export function countsByType(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of recorded) {
    if (!r.custom) continue;
    counts[r.type] = (counts[r.type] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}
