/**
 * The shared checklist both renderings of a fleet are reduced to, so that a CDK template and the
 * resources a Pulumi program registers can be compared setting by setting. Everything is plain,
 * sorted data in neutral terms: physical names instead of logical ids or ARNs, AWS defaults filled in.
 */

import type { QueuePoolChecklist } from './queue-checklist';

/** A kind of resource, with its CloudFormation type and its Pulumi type token. */
export interface ResourceKind {
  readonly cfn: string;
  readonly pulumi: string;
}

/** Resource kinds both renderings must create equally many of. */
export const RESOURCE_KINDS: Readonly<Record<string, ResourceKind>> = {
  kmsKey: { cfn: 'AWS::KMS::Key', pulumi: 'aws:kms/key:Key' },
  logGroup: { cfn: 'AWS::Logs::LogGroup', pulumi: 'aws:cloudwatch/logGroup:LogGroup' },
  vpc: { cfn: 'AWS::EC2::VPC', pulumi: 'aws:ec2/vpc:Vpc' },
  subnet: { cfn: 'AWS::EC2::Subnet', pulumi: 'aws:ec2/subnet:Subnet' },
  routeTable: { cfn: 'AWS::EC2::RouteTable', pulumi: 'aws:ec2/routeTable:RouteTable' },
  routeTableAssociation: { cfn: 'AWS::EC2::SubnetRouteTableAssociation', pulumi: 'aws:ec2/routeTableAssociation:RouteTableAssociation' },
  route: { cfn: 'AWS::EC2::Route', pulumi: 'aws:ec2/route:Route' },
  elasticIp: { cfn: 'AWS::EC2::EIP', pulumi: 'aws:ec2/eip:Eip' },
  natGateway: { cfn: 'AWS::EC2::NatGateway', pulumi: 'aws:ec2/natGateway:NatGateway' },
  internetGateway: { cfn: 'AWS::EC2::InternetGateway', pulumi: 'aws:ec2/internetGateway:InternetGateway' },
  defaultSecurityGroupLockdown: { cfn: 'Custom::VpcRestrictDefaultSG', pulumi: 'aws:ec2/defaultSecurityGroup:DefaultSecurityGroup' },
  flowLog: { cfn: 'AWS::EC2::FlowLog', pulumi: 'aws:ec2/flowLog:FlowLog' },
  role: { cfn: 'AWS::IAM::Role', pulumi: 'aws:iam/role:Role' },
  inlinePolicy: { cfn: 'AWS::IAM::Policy', pulumi: 'aws:iam/rolePolicy:RolePolicy' },
  securityGroup: { cfn: 'AWS::EC2::SecurityGroup', pulumi: 'aws:ec2/securityGroup:SecurityGroup' },
  ecsCluster: { cfn: 'AWS::ECS::Cluster', pulumi: 'aws:ecs/cluster:Cluster' },
  cloudMapNamespace: { cfn: 'AWS::ServiceDiscovery::PrivateDnsNamespace', pulumi: 'aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace' },
  cloudMapService: { cfn: 'AWS::ServiceDiscovery::Service', pulumi: 'aws:servicediscovery/service:Service' },
  loadBalancer: { cfn: 'AWS::ElasticLoadBalancingV2::LoadBalancer', pulumi: 'aws:lb/loadBalancer:LoadBalancer' },
  listener: { cfn: 'AWS::ElasticLoadBalancingV2::Listener', pulumi: 'aws:lb/listener:Listener' },
  listenerRule: { cfn: 'AWS::ElasticLoadBalancingV2::ListenerRule', pulumi: 'aws:lb/listenerRule:ListenerRule' },
  targetGroup: { cfn: 'AWS::ElasticLoadBalancingV2::TargetGroup', pulumi: 'aws:lb/targetGroup:TargetGroup' },
  bucket: { cfn: 'AWS::S3::Bucket', pulumi: 'aws:s3/bucket:Bucket' },
  bucketPolicy: { cfn: 'AWS::S3::BucketPolicy', pulumi: 'aws:s3/bucketPolicy:BucketPolicy' },
  secret: { cfn: 'AWS::SecretsManager::Secret', pulumi: 'aws:secretsmanager/secret:Secret' },
  cacheSubnetGroup: { cfn: 'AWS::ElastiCache::SubnetGroup', pulumi: 'aws:elasticache/subnetGroup:SubnetGroup' },
  cacheReplicationGroup: { cfn: 'AWS::ElastiCache::ReplicationGroup', pulumi: 'aws:elasticache/replicationGroup:ReplicationGroup' },
  serverlessCache: { cfn: 'AWS::ElastiCache::ServerlessCache', pulumi: 'aws:elasticache/serverlessCache:ServerlessCache' },
  cacheUser: { cfn: 'AWS::ElastiCache::User', pulumi: 'aws:elasticache/user:User' },
  cacheUserGroup: { cfn: 'AWS::ElastiCache::UserGroup', pulumi: 'aws:elasticache/userGroup:UserGroup' },
  lambdaFunction: { cfn: 'AWS::Lambda::Function', pulumi: 'aws:lambda/function:Function' },
  lambdaPermission: { cfn: 'AWS::Lambda::Permission', pulumi: 'aws:lambda/permission:Permission' },
  taskDefinition: { cfn: 'AWS::ECS::TaskDefinition', pulumi: 'aws:ecs/taskDefinition:TaskDefinition' },
  ecsService: { cfn: 'AWS::ECS::Service', pulumi: 'aws:ecs/service:Service' },
  scalableTarget: { cfn: 'AWS::ApplicationAutoScaling::ScalableTarget', pulumi: 'aws:appautoscaling/target:Target' },
  scalingPolicy: { cfn: 'AWS::ApplicationAutoScaling::ScalingPolicy', pulumi: 'aws:appautoscaling/policy:Policy' },
  webAcl: { cfn: 'AWS::WAFv2::WebACL', pulumi: 'aws:wafv2/webAcl:WebAcl' },
  webAclAssociation: { cfn: 'AWS::WAFv2::WebACLAssociation', pulumi: 'aws:wafv2/webAclAssociation:WebAclAssociation' },
  webAclLogging: { cfn: 'AWS::WAFv2::LoggingConfiguration', pulumi: 'aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration' },
  alarm: { cfn: 'AWS::CloudWatch::Alarm', pulumi: 'aws:cloudwatch/metricAlarm:MetricAlarm' },
  dashboard: { cfn: 'AWS::CloudWatch::Dashboard', pulumi: 'aws:cloudwatch/dashboard:Dashboard' },
  healthCheck: { cfn: 'AWS::Route53::HealthCheck', pulumi: 'aws:route53/healthCheck:HealthCheck' },
  dnsRecord: { cfn: 'AWS::Route53::RecordSet', pulumi: 'aws:route53/record:Record' },
  accelerator: { cfn: 'AWS::GlobalAccelerator::Accelerator', pulumi: 'aws:globalaccelerator/accelerator:Accelerator' },
  acceleratorListener: { cfn: 'AWS::GlobalAccelerator::Listener', pulumi: 'aws:globalaccelerator/listener:Listener' },
  endpointGroup: { cfn: 'AWS::GlobalAccelerator::EndpointGroup', pulumi: 'aws:globalaccelerator/endpointGroup:EndpointGroup' },
  globalDatastore: { cfn: 'AWS::ElastiCache::GlobalReplicationGroup', pulumi: 'aws:elasticache/globalReplicationGroup:GlobalReplicationGroup' },
  queue: { cfn: 'AWS::SQS::Queue', pulumi: 'aws:sqs/queue:Queue' },
  queuePolicy: { cfn: 'AWS::SQS::QueuePolicy', pulumi: 'aws:sqs/queuePolicy:QueuePolicy' },
};

/**
 * Types one rendering needs that the other expresses inside another resource; they are compared
 * through the checklist's settings (flows, buckets, secrets) instead of by count. A type that is
 * neither a kind nor listed here fails the parity test, so a new resource on one side is never
 * silently ignored.
 */
export const RENDERING_DETAILS: { readonly cfn: Readonly<Record<string, string>>; readonly pulumi: Readonly<Record<string, string>> } = {
  cfn: {
    'AWS::EC2::VPCGatewayAttachment': 'Pulumi attaches the internet gateway through its vpcId',
    'AWS::EC2::SecurityGroupIngress': 'compared as flows',
    'AWS::EC2::SecurityGroupEgress': 'compared as flows',
  },
  pulumi: {
    'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule': 'compared as flows',
    'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule': 'compared as flows',
    'aws:lb/targetGroupAttachment:TargetGroupAttachment': 'CloudFormation lists Lambda targets on the target group',
    'aws:iam/rolePolicyAttachment:RolePolicyAttachment': 'CloudFormation lists managed policies on the role',
    'aws:secretsmanager/secretVersion:SecretVersion': 'CloudFormation generates the value on the secret (GenerateSecretString)',
    'aws:s3/bucketVersioning:BucketVersioning': 'a bucket property in CloudFormation',
    'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration': 'a bucket property in CloudFormation',
    'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock': 'a bucket property in CloudFormation',
    'aws:s3/bucketOwnershipControls:BucketOwnershipControls': 'a bucket property in CloudFormation',
    'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration': 'a bucket property in CloudFormation',
    'aws:ecr/repository:Repository': "built pool images (build, stdio): CDK pushes image assets to the bootstrap repository; compared as the task's image source",
    'docker-build:index:Image': "built pool images (build, stdio): a CDK image asset, outside the template; compared as the task's image source",
  },
};

export interface FleetChecklist {
  /** Count per resource kind (only kinds with at least one resource). */
  readonly counts: Readonly<Record<string, number>>;
  /** Types that are neither a kind nor a known rendering detail (must stay empty). */
  readonly unmappedTypes: readonly string[];
  readonly loadBalancer: {
    readonly name: string;
    readonly internetFacing: boolean;
    readonly idleTimeoutSeconds: number;
    readonly dropInvalidHeaderFields: boolean;
    readonly desyncMitigationMode: string;
    readonly http2: boolean;
    readonly deletionProtection: boolean;
    readonly accessLogsPrefix: string;
  };
  /** `port protocol policy → default action`, by port. */
  readonly listeners: readonly string[];
  readonly rules: ReadonlyArray<{ readonly priority: number; readonly conditions: readonly string[]; readonly jwt: string | null; readonly target: string }>;
  readonly targetGroups: ReadonlyArray<{
    readonly name: string;
    readonly targetType: string;
    readonly port: number | null;
    readonly algorithm: string | null;
    readonly deregistrationDelaySeconds: number | null;
    readonly healthCheck: string;
    readonly stickiness: string | null;
    readonly multiValueHeaders: boolean;
  }>;
  /** Per pool, keyed by its target group name. */
  readonly services: ReadonlyArray<{
    readonly targetGroup: string;
    readonly desiredCount: number;
    readonly deployment: string;
    readonly healthCheckGraceSeconds: number;
    readonly publicIp: boolean;
    readonly container: string;
    /** The Cloud Map service the tasks register in: `name records ttl routing health`, or `-`. */
    readonly cloudMap: string;
    readonly task: string;
    readonly environment: readonly string[];
    readonly secrets: readonly string[];
  }>;
  readonly scaling: ReadonlyArray<{ readonly targetGroup: string; readonly min: number; readonly max: number; readonly policies: readonly string[] }>;
  readonly sessionStore: Readonly<Record<string, string | number | boolean>>;
  readonly firewall: {
    readonly name: string;
    readonly scope: string;
    readonly defaultAction: string;
    readonly rules: readonly string[];
    readonly responseBodies: readonly string[];
    readonly redactedHeaders: readonly string[];
    readonly associated: boolean;
  };
  /** The gateway Lambda; `null` when the gateway is a Fargate service (then it is among `services`). */
  readonly gateway: null | {
    readonly name: string;
    readonly runtime: string;
    readonly architectures: readonly string[];
    readonly handler: string;
    readonly memoryMiB: number;
    readonly timeoutSeconds: number;
    readonly inVpc: boolean;
    readonly environmentNames: readonly string[];
    /** Literal (not resource-dependent) environment values. */
    readonly environmentLiterals: Readonly<Record<string, string>>;
    /** Where the deployed code comes from. */
    readonly codeSource: string;
  };
  /** `from -> to protocol/port` between security groups (named by description) and CIDRs. */
  readonly ingress: readonly string[];
  readonly egress: readonly string[];
  /** `public|private cidr` of a created VPC. */
  readonly subnets: readonly string[];
  /** Queue pools: queues, worker service, scaling, permissions (the `services` and `scaling` above are the load-balanced ones). */
  readonly queuePools: readonly QueuePoolChecklist[];
  /** Statements of any role that may send to queues: the gateway's. */
  readonly queueSenders: readonly string[];
}

/** Counts per kind from a list of resource types, plus the types that fit no kind. */
export function countKinds(types: readonly string[], side: 'cfn' | 'pulumi'): { counts: Record<string, number>; unmappedTypes: string[] } {
  const kindOf = new Map(Object.entries(RESOURCE_KINDS).map(([kind, k]) => [k[side], kind]));
  const counts: Record<string, number> = {};
  const unmapped = new Set<string>();
  for (const type of types) {
    const kind = kindOf.get(type);
    if (kind) counts[kind] = (counts[kind] ?? 0) + 1;
    else if (!(type in RENDERING_DETAILS[side])) unmapped.add(type);
  }
  return { counts: Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b))), unmappedTypes: [...unmapped].sort() };
}

/** Alarms and dashboard layout of a monitored fleet. */
export interface MonitoringChecklist {
  /** One line per alarm: name, condition, missing data, metric or math (with its metrics), description. */
  readonly alarms: readonly string[];
  readonly dashboardName: string;
  /** `type x,y widthxheight title` per widget, in layout order. */
  readonly widgets: readonly string[];
}

/** Dimensions whose values come from the spec (compared by value); the others name resources (compared by name). */
const LITERAL_DIMENSIONS = new Set(['Fleet', 'Pool', 'Tool', 'CacheClusterId', 'clusterId', 'WebACL', 'Region', 'Rule']);

export interface AlarmFacts {
  readonly name: string;
  readonly description: string;
  readonly comparison: string;
  readonly threshold: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: string;
  /** A single metric, or the expression and the metrics it uses. */
  readonly metric?: MetricFacts;
  readonly math?: { readonly id: string; readonly expression: string; readonly label: string; readonly using: ReadonlyArray<MetricFacts & { readonly id: string; readonly label: string }> };
}

export interface MetricFacts {
  readonly namespace: string;
  readonly metricName: string;
  readonly stat: string;
  readonly period: number;
  readonly dimensions: Readonly<Record<string, string>>;
}

function metricLine(m: MetricFacts): string {
  const dims = Object.entries(m.dimensions)
    .map(([k, v]) => (LITERAL_DIMENSIONS.has(k) ? `${k}=${v}` : k))
    .sort();
  return `${m.namespace}/${m.metricName} ${m.stat} ${m.period}s [${dims.join(',')}]`;
}

/** Formats an alarm the same way on both sides. */
export function alarmLine(a: AlarmFacts): string {
  const condition = `${a.comparison} ${a.threshold} in ${a.datapointsToAlarm}/${a.evaluationPeriods} missing=${a.treatMissingData}`;
  const watched = a.math
    ? `${a.math.id}=${a.math.expression} "${a.math.label}" using ${[...a.math.using]
        .sort(byKey((u) => u.id))
        .map((u) => `${u.id}=${metricLine(u)} "${u.label}"`)
        .join('; ')}`
    : metricLine(a.metric!);
  return `${a.name} | ${condition} | ${watched} | ${a.description}`;
}

/** Global routing of the regional copies of a fleet. */
export interface GlobalRoutingChecklist {
  readonly counts: Readonly<Record<string, number>>;
  readonly unmappedTypes: readonly string[];
  /** `type fqdn:port path every Ns after N failures sni latency`. */
  readonly healthChecks: readonly string[];
  /** `name type set region health alias zone evaluate`. */
  readonly records: readonly string[];
  readonly alarms: readonly string[];
  /** Accelerator, listener and endpoint groups. */
  readonly accelerator: readonly string[];
  readonly sessionDatastore: readonly string[];
}

/** Hosted zone of every Global Accelerator DNS name: its alias target is the accelerator, whatever its generated name. */
const ACCELERATOR_ZONE = 'Z2BJ6XQ5FK7U4H';

export function recordLine(r: {
  name: string;
  type: string;
  setIdentifier?: string;
  region?: string;
  healthChecked: boolean;
  aliasName: string;
  aliasZone: string;
  evaluateTargetHealth?: boolean;
}): string {
  const alias = r.aliasZone === ACCELERATOR_ZONE ? '<accelerator>' : r.aliasName;
  return `${r.name.replace(/\.$/, '')} ${r.type} set=${r.setIdentifier ?? '-'} region=${r.region ?? '-'} health=${r.healthChecked} alias=${alias}@${r.aliasZone} evaluate=${r.evaluateTargetHealth === true}`;
}

export function healthCheckRoute53Line(h: { type: string; fqdn: string; port: number; path: string; interval: number; failures: number; sni: boolean; latency: boolean }): string {
  return `${h.type} ${h.fqdn}:${h.port} ${h.path} every ${h.interval}s after ${h.failures} failures sni=${h.sni} latency=${h.latency}`;
}

/** Formats a dashboard widget (already positioned) the same way on both sides. */
export function widgetLine(w: { type: string; x: number; y: number; width: number; height: number; properties?: { title?: string } }): string {
  return `${w.type} ${w.x},${w.y} ${w.width}x${w.height} ${w.properties?.title ?? ''}`.trimEnd();
}

/** `path: cdk=… pulumi=…` for every leaf where the two checklists differ. */
export function checklistDifferences(cdk: unknown, pulumi: unknown, path = ''): string[] {
  if (Array.isArray(cdk) && Array.isArray(pulumi)) {
    const out: string[] = [];
    for (let i = 0; i < Math.max(cdk.length, pulumi.length); i++) out.push(...checklistDifferences(cdk[i], pulumi[i], `${path}[${i}]`));
    return out;
  }
  if (isObject(cdk) && isObject(pulumi)) {
    const keys = [...new Set([...Object.keys(cdk), ...Object.keys(pulumi)])].sort();
    return keys.flatMap((k) => checklistDifferences(cdk[k], pulumi[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(cdk) === JSON.stringify(pulumi) ? [] : [`${path}: cdk=${JSON.stringify(cdk)} pulumi=${JSON.stringify(pulumi)}`];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Formats a health check the same way on both sides. */
/**
 * Gateway variables whose values are resource attributes (a token in CDK, a resolved string under
 * Pulumi's mocks): compared by name. Every other container variable is compared by value.
 */
const RESOURCE_VALUED_ENV = new Set(['MCP_FLEET_REGION', 'MCP_FLEET_REDIS_URL', 'MCP_FLEET_PUBLIC_URL', 'MCP_FLEET_WORKER_QUEUE_URL', 'MCP_FLEET_QUEUE_URLS']);

/** A container environment variable, the same way on both sides. */
export function environmentLine(name: string, value: unknown): string {
  return RESOURCE_VALUED_ENV.has(name) ? `${name}=<resource>` : `${name}=${String(value)}`;
}

export function healthCheckLine(h: {
  path?: string | undefined;
  interval?: number | undefined;
  timeout?: number | undefined;
  healthy?: number | undefined;
  unhealthy?: number | undefined;
  matcher?: string | undefined;
}): string {
  return `${h.path ?? '-'} every ${h.interval ?? '-'}s timeout ${h.timeout ?? '-'}s healthy ${h.healthy ?? '-'} unhealthy ${h.unhealthy ?? '-'} codes ${h.matcher ?? '-'}`;
}

/** Formats a Cloud Map service the same way on both sides. */
export function cloudMapLine(s: { name: string; records: ReadonlyArray<{ type: string; ttl: number }>; routing: string; customHealth: boolean }): string {
  return `${s.name} ${s.records.map((r) => `${r.type}/${r.ttl}s`).join(',')} ${s.routing} ${s.customHealth ? 'ecs-health' : 'no-health'}`;
}

export function byKey<T>(key: (item: T) => string | number): (a: T, b: T) => number {
  return (a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };
}

/**
 * Which secret fills a container variable, as far as parity cares: a pool's identity key is named by
 * its pool (each task must get its own), any other secret is just `secret`.
 */
export function secretSource(description: string | undefined): string {
  const pool = /caller identities for pool (\S+)$/.exec(description ?? '')?.[1];
  return pool ? `identity key of pool ${pool}` : 'secret';
}
