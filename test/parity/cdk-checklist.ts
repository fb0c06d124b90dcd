/** Reduces a synthesized CloudFormation template of a fleet to the shared checklist. */
import {
  alarmLine,
  byKey,
  cloudMapLine,
  countKinds,
  environmentLine,
  healthCheckLine,
  healthCheckRoute53Line,
  recordLine,
  RESOURCE_KINDS,
  widgetLine,
  type FleetChecklist,
  type GlobalRoutingChecklist,
  type MetricFacts,
  type MonitoringChecklist,
  secretSource,
} from './checklist';
import { cdkQueuePools } from './queue-checklist';

type Props = Record<string, any>;
interface CfnResource {
  readonly Type: string;
  readonly Properties?: Props;
}

/** Singleton custom-resource providers CDK adds (here for `restrictDefaultSecurityGroup`): plumbing, not fleet resources. */
const CDK_PROVIDER_ID = /^Custom.*CustomResourceProvider/;
/** CDK's placeholder egress rule on a group that may send nothing. */
const NO_EGRESS_PLACEHOLDER = '255.255.255.255/32';

const refOf = (v: any): string => v?.Ref ?? v?.['Fn::GetAtt']?.[0];
const attr = (attributes: Props[] | undefined, key: string): string | undefined => attributes?.find((a) => a.Key === key)?.Value;
const firstKey = (o: object | undefined) => (o ? (Object.keys(o)[0]?.toLowerCase() ?? '-') : '-');
const portRange = (r: Props) => (String(r.IpProtocol) === '-1' ? 'all' : `${r.IpProtocol}/${r.FromPort}${r.ToPort !== r.FromPort ? `-${r.ToPort}` : ''}`);
const isDynamicSecretReference = (v: any) => JSON.stringify(v ?? null).includes('{{resolve:secretsmanager:');

/**
 * @param template `Template.fromStack(stack).toJSON()`
 * @param codeSource source directory of the gateway function's code asset (from the construct tree:
 *   the template only holds the asset's hash).
 */
export function cdkChecklist(template: { Resources: Record<string, CfnResource> }, codeSource: string): FleetChecklist {
  const resources = Object.fromEntries(Object.entries(template.Resources).filter(([id]) => !CDK_PROVIDER_ID.test(id)));
  const entries = Object.entries(resources);
  const ofKind = (kind: string): Array<[string, Props]> => entries.filter(([, r]) => r.Type === RESOURCE_KINDS[kind]!.cfn).map(([id, r]) => [id, r.Properties ?? {}]);
  const ofType = (type: string): Props[] => entries.filter(([, r]) => r.Type === type).map(([, r]) => r.Properties ?? {});
  const one = (kind: string): Props => {
    const found = ofKind(kind);
    if (found.length !== 1) throw new Error(`cdk checklist: expected one ${kind}, found ${found.length}`);
    return found[0]![1];
  };
  const props = (ref: any): Props => {
    const resource = resources[refOf(ref)];
    if (!resource) throw new Error(`cdk checklist: no resource for ${JSON.stringify(ref)}`);
    return resource.Properties ?? {};
  };
  const targetGroupName = (ref: any) => props(ref).Name as string;
  const discovery = (ref: any) => {
    const d = props(ref);
    return cloudMapLine({
      name: d.Name,
      records: (d.DnsConfig.DnsRecords as Props[]).map((r) => ({ type: r.Type, ttl: r.TTL })),
      routing: d.DnsConfig.RoutingPolicy,
      customHealth: d.HealthCheckCustomConfig !== undefined,
    });
  };

  const lb = one('loadBalancer');
  const lbAttr = (key: string) => attr(lb.LoadBalancerAttributes, key);
  const listeners = ofKind('listener')
    .map(([, l]) => l)
    .sort(byKey((l) => l.Port))
    .map((l) => {
      const [action] = l.DefaultActions;
      const rendered =
        action.Type === 'redirect'
          ? `redirect ${action.RedirectConfig.Protocol}:${action.RedirectConfig.Port} ${action.RedirectConfig.StatusCode}`
          : `fixed-response ${action.FixedResponseConfig.StatusCode} ${action.FixedResponseConfig.ContentType} ${action.FixedResponseConfig.MessageBody}`;
      return `${l.Port} ${l.Protocol} ${l.SslPolicy ?? '-'} -> ${rendered}`;
    });

  const rules = ofKind('listenerRule')
    .map(([, r]) => {
      const conditions = (r.Conditions as Props[]).map((c) =>
        c.Field === 'path-pattern'
          ? `path-pattern=${c.PathPatternConfig.Values.join('|')}`
          : c.Field === 'http-header'
            ? `http-header ${c.HttpHeaderConfig.HttpHeaderName}=${c.HttpHeaderConfig.Values.join('|')}`
            : `source-ip=${c.SourceIpConfig.Values.join('|')}`,
      );
      const jwt = (r.Actions as Props[]).find((a) => a.Type === 'jwt-validation')?.JwtValidationConfig;
      const forward = (r.Actions as Props[]).find((a) => a.Type === 'forward')!;
      return {
        priority: r.Priority as number,
        conditions: conditions.sort(),
        jwt: jwt ? `${jwt.Issuer} ${jwt.JwksEndpoint} ${((jwt.AdditionalClaims ?? []) as Props[]).map((c) => `${c.Name}:${c.Format}:${c.Values.join(',')}`).join(' ')}` : null,
        target: targetGroupName(forward.TargetGroupArn),
      };
    })
    .sort(byKey((r) => r.priority));

  const targetGroups = ofKind('targetGroup')
    .map(([, t]) => {
      const lambda = t.TargetType === 'lambda';
      const a = (key: string) => attr(t.TargetGroupAttributes, key);
      return {
        name: t.Name as string,
        targetType: t.TargetType as string,
        port: lambda ? null : (t.Port as number),
        algorithm: lambda ? null : (a('load_balancing.algorithm.type') ?? 'round_robin'),
        deregistrationDelaySeconds: lambda ? null : Number(a('deregistration_delay.timeout_seconds') ?? 300),
        healthCheck: healthCheckLine({
          path: t.HealthCheckPath,
          interval: t.HealthCheckIntervalSeconds,
          timeout: t.HealthCheckTimeoutSeconds,
          healthy: t.HealthyThresholdCount,
          unhealthy: t.UnhealthyThresholdCount,
          matcher: t.Matcher?.HttpCode,
        }),
        stickiness: a('stickiness.enabled') === 'true' ? `${a('stickiness.type')}:${a('stickiness.lb_cookie.duration_seconds')}` : null,
        multiValueHeaders: a('lambda.multi_value_headers.enabled') === 'true',
      };
    })
    .sort(byKey((t) => t.name));

  // Load-balanced services (queue pools' worker services: `queuePools`).
  const services = ofKind('ecsService')
    .filter(([, s]) => s.LoadBalancers)
    .map(([, s]) => {
      const [binding] = s.LoadBalancers as Props[];
      const task = props(s.TaskDefinition);
      const [c] = task.ContainerDefinitions as Props[];
      const d = s.DeploymentConfiguration;
      return {
        targetGroup: targetGroupName(binding!.TargetGroupArn),
        desiredCount: s.DesiredCount as number,
        deployment: `min ${d.MinimumHealthyPercent}% max ${d.MaximumPercent}% breaker ${d.DeploymentCircuitBreaker.Enable} rollback ${d.DeploymentCircuitBreaker.Rollback} ${s.LaunchType} tags from ${s.PropagateTags} ecs tags ${s.EnableECSManagedTags === true} exec ${s.EnableExecuteCommand === true}`,
        healthCheckGraceSeconds: s.HealthCheckGracePeriodSeconds as number,
        publicIp: s.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp === 'ENABLED',
        container: `${binding!.ContainerName}:${binding!.ContainerPort}`,
        cloudMap: s.ServiceRegistries?.[0] ? discovery(s.ServiceRegistries[0].RegistryArn) : '-',
        task: [
          `cpu ${task.Cpu} memory ${task.Memory} ${task.NetworkMode} ${task.RequiresCompatibilities.join(',')}`,
          // Fargate's defaults when the platform is not given.
          `platform ${task.RuntimePlatform?.OperatingSystemFamily ?? 'LINUX'}/${task.RuntimePlatform?.CpuArchitecture ?? 'X86_64'}`,
          `container ${c!.Name} image ${typeof c!.Image === 'string' ? c!.Image : 'built'} command ${JSON.stringify(c!.Command ?? null)} user ${c!.User} read-only root ${c!.ReadonlyRootFilesystem} stop ${c!.StopTimeout}s`,
          `health ${c!.HealthCheck ? `${(c!.HealthCheck.Command as string[]).join(' ')} every ${c!.HealthCheck.Interval}s timeout ${c!.HealthCheck.Timeout}s retries ${c!.HealthCheck.Retries} start ${c!.HealthCheck.StartPeriod}s` : 'none'}`,
          `ports ${(c!.PortMappings as Props[]).map((p) => `${p.Name}:${p.ContainerPort}/${p.Protocol}`).join(',')}`,
          `volumes ${(task.Volumes as Props[]).map((v) => v.Name).join(',')} mounts ${(c!.MountPoints as Props[]).map((m) => `${m.SourceVolume}:${m.ContainerPath}:${m.ReadOnly ? 'ro' : 'rw'}`).join(',')}`,
        ].join('; '),
        environment: ((c!.Environment ?? []) as Props[]).map((e) => environmentLine(e.Name, e.Value)).sort(),
        secrets: ((c!.Secrets ?? []) as Props[])
          .map((e) => `${e.Name} <- ${secretSource(e.ValueFrom?.Ref ? (resources[e.ValueFrom.Ref]?.Properties?.Description as string | undefined) : undefined)}`)
          .sort(),
      };
    })
    .sort(byKey((s) => s.targetGroup));

  const serviceOf = (t: Props) => props((t.ResourceId['Fn::Join'][1] as any[]).find((part) => part?.['Fn::GetAtt']?.[1] === 'Name'));
  const scaling = ofKind('scalableTarget')
    .filter(([, t]) => serviceOf(t).LoadBalancers)
    .map(([id, t]) => {
      const service = serviceOf(t);
      const policies = ofKind('scalingPolicy')
        .filter(([, p]) => refOf(p.ScalingTargetId) === id)
        .map(([, p]) => {
          const c = p.TargetTrackingScalingPolicyConfiguration;
          const custom = c.CustomizedMetricSpecification;
          const metric = custom
            ? `custom ${custom.Namespace}/${custom.MetricName} ${custom.Statistic} [${((custom.Dimensions ?? []) as Props[]).map((d) => `${d.Name}=${d.Value}`).join(',')}]`
            : c.PredefinedMetricSpecification.PredefinedMetricType;
          return `${p.PolicyType} ${metric} target ${c.TargetValue} in ${c.ScaleInCooldown}s out ${c.ScaleOutCooldown}s`;
        });
      return { targetGroup: targetGroupName(service.LoadBalancers[0].TargetGroupArn), min: t.MinCapacity as number, max: t.MaxCapacity as number, policies: policies.sort() };
    })
    .sort(byKey((s) => s.targetGroup));

  const acl = one('webAcl');
  const firewall = {
    name: acl.Name as string,
    scope: acl.Scope as string,
    defaultAction: firstKey(acl.DefaultAction),
    rules: (acl.Rules as Props[])
      .map((r) => {
        const managed = r.Statement.ManagedRuleGroupStatement;
        if (managed) {
          const overrides = ((managed.RuleActionOverrides ?? []) as Props[]).map((o) => `${o.Name}:${firstKey(o.ActionToUse)}`).join(',');
          return `${r.Priority} ${r.Name} managed ${managed.VendorName}/${managed.Name} overrides [${overrides}] ${firstKey(r.OverrideAction)} metric ${r.VisibilityConfig.MetricName}`;
        }
        const block = r.Action.Block?.CustomResponse;
        const rate = r.Statement.RateBasedStatement;
        if (!rate) {
          const matches = ((r.Statement.AndStatement?.Statements ?? [r.Statement]) as Props[]).map((m) => {
            const b = m.ByteMatchStatement;
            return `${b.FieldToMatch.SingleHeader.Name} ${b.PositionalConstraint} ${b.SearchString} ${b.TextTransformations.map((t: Props) => t.Type).join('+')}`;
          });
          return `${r.Priority} ${r.Name} match [${matches.join(' & ')}] ${firstKey(r.Action)} ${block?.ResponseCode}:${block?.CustomResponseBodyKey} metric ${r.VisibilityConfig.MetricName}`;
        }
        const keys = ((rate.CustomKeys ?? []) as Props[]).map((k) => (k.Header ? `header:${k.Header.Name}` : Object.keys(k)[0]!.toLowerCase())).join(',');
        return `${r.Priority} ${r.Name} rate ${rate.Limit}/${rate.EvaluationWindowSec}s ${rate.AggregateKeyType}[${keys}] ${firstKey(r.Action)} ${block?.ResponseCode}:${block?.CustomResponseBodyKey} metric ${r.VisibilityConfig.MetricName}`;
      })
      .sort(),
    responseBodies: Object.entries(acl.CustomResponseBodies as Record<string, Props>)
      .map(([key, b]) => `${key} ${b.ContentType} ${b.Content}`)
      .sort(),
    redactedHeaders: (one('webAclLogging').RedactedFields as Props[]).map((f) => f.SingleHeader.Name as string).sort(),
    associated: ofKind('webAclAssociation').some(([, a]) => refOf(a.ResourceArn) === ofKind('loadBalancer')[0]![0]),
  };

  const [fn] = ofKind('lambdaFunction').map(([, f]) => f);
  const env = (fn?.Environment.Variables ?? {}) as Record<string, unknown>;
  const gateway =
    fn === undefined
      ? null
      : {
          name: fn.FunctionName as string,
          runtime: fn.Runtime as string,
          architectures: fn.Architectures as string[],
          handler: fn.Handler as string,
          memoryMiB: fn.MemorySize as number,
          timeoutSeconds: fn.Timeout as number,
          inVpc: fn.VpcConfig !== undefined,
          environmentNames: Object.keys(env).sort(),
          environmentLiterals: { MCP_FLEET_SPEC: env.MCP_FLEET_SPEC as string, MCP_FLEET_POOL_URLS: env.MCP_FLEET_POOL_URLS as string },
          codeSource,
        };

  const description = (ref: any) => props(ref).GroupDescription as string;
  const groups = ofKind('securityGroup');
  const ingress = [
    ...groups.flatMap(([, g]) => ((g.SecurityGroupIngress ?? []) as Props[]).map((r) => `cidr ${r.CidrIp ?? r.CidrIpv6} -> ${g.GroupDescription} ${portRange(r)}`)),
    ...ofType('AWS::EC2::SecurityGroupIngress').map(
      (r) => `${r.SourceSecurityGroupId ? description(r.SourceSecurityGroupId) : `cidr ${r.CidrIp ?? r.CidrIpv6}`} -> ${description(r.GroupId)} ${portRange(r)}`,
    ),
  ].sort();
  const egress = [
    ...groups.flatMap(([, g]) =>
      ((g.SecurityGroupEgress ?? []) as Props[]).filter((r) => r.CidrIp !== NO_EGRESS_PLACEHOLDER).map((r) => `${g.GroupDescription} -> cidr ${r.CidrIp ?? r.CidrIpv6} ${portRange(r)}`),
    ),
    ...ofType('AWS::EC2::SecurityGroupEgress').map(
      (r) => `${description(r.GroupId)} -> ${r.DestinationSecurityGroupId ? description(r.DestinationSecurityGroupId) : `cidr ${r.CidrIp ?? r.CidrIpv6}`} ${portRange(r)}`,
    ),
  ].sort();

  return {
    ...countKinds(
      entries.map(([, r]) => r.Type),
      'cfn',
    ),
    loadBalancer: {
      name: lb.Name,
      internetFacing: lb.Scheme === 'internet-facing',
      idleTimeoutSeconds: Number(lbAttr('idle_timeout.timeout_seconds') ?? 60),
      dropInvalidHeaderFields: lbAttr('routing.http.drop_invalid_header_fields.enabled') === 'true',
      desyncMitigationMode: lbAttr('routing.http.desync_mitigation_mode') ?? 'defensive',
      http2: lbAttr('routing.http2.enabled') !== 'false',
      deletionProtection: lbAttr('deletion_protection.enabled') === 'true',
      accessLogsPrefix: lbAttr('access_logs.s3.enabled') === 'true' ? (lbAttr('access_logs.s3.prefix') ?? '') : '-',
    },
    listeners,
    rules,
    targetGroups,
    services,
    scaling,
    sessionStore: sessionStore(ofKind),
    firewall,
    gateway,
    ingress,
    egress,
    subnets: ofKind('subnet')
      .map(([, s]) => `${attr(s.Tags, 'aws-cdk:subnet-type') === 'Public' ? 'public' : 'private'} ${s.CidrBlock}`)
      .sort(),
    ...cdkQueuePools(resources),
  };
}

function sessionStore(ofKind: (kind: string) => Array<[string, Props]>): Record<string, string | number | boolean> {
  const auth = (value: unknown) => (value === undefined ? 'none' : isDynamicSecretReference(value) ? 'from Secrets Manager' : 'plaintext in template');
  const [group] = ofKind('cacheReplicationGroup');
  if (group) {
    const g = group[1];
    return {
      deployment: 'replication-group',
      id: g.ReplicationGroupId,
      engine: g.Engine,
      engineVersion: g.EngineVersion,
      nodeType: g.CacheNodeType,
      shards: g.NumNodeGroups,
      replicasPerShard: g.ReplicasPerNodeGroup,
      multiAz: g.MultiAZEnabled === true,
      automaticFailover: g.AutomaticFailoverEnabled === true,
      transitEncryption: g.TransitEncryptionEnabled === true,
      transitEncryptionMode: g.TransitEncryptionMode ?? '-',
      atRestEncryption: g.AtRestEncryptionEnabled === true,
      customerManagedKey: g.KmsKeyId !== undefined,
      port: g.Port,
      snapshotRetentionDays: g.SnapshotRetentionLimit ?? 0,
      auth: auth(g.AuthToken),
    };
  }
  const s = ofKind('serverlessCache')[0]![1];
  const user = ofKind('cacheUser')[0]![1];
  return {
    deployment: 'serverless',
    name: s.ServerlessCacheName,
    engine: s.Engine,
    majorEngineVersion: s.MajorEngineVersion,
    customerManagedKey: s.KmsKeyId !== undefined,
    snapshotRetentionDays: s.SnapshotRetentionLimit ?? 0,
    userGroup: s.UserGroupId,
    defaultUser: `${user.UserId} ${user.UserName} ${user.AccessString}`,
    auth: auth(user.AuthenticationMode?.Passwords?.[0]),
  };
}

/** CloudFormation's form of a value that names a resource (a token), made comparable. */
const RESOURCE_VALUE = '<resource>';

/** The alarms and dashboard layout of a template. */
export function cdkMonitoringChecklist(template: { Resources: Record<string, CfnResource> }): MonitoringChecklist {
  const resources = Object.values(template.Resources);
  const dims = (d: Props[] | undefined) => Object.fromEntries((d ?? []).map((x) => [x.Name, typeof x.Value === 'string' ? x.Value : RESOURCE_VALUE]));
  const alarms = resources
    .filter((r) => r.Type === RESOURCE_KINDS.alarm!.cfn)
    .map(({ Properties: a = {} }) => {
      const queries = a.Metrics as Props[] | undefined;
      const expression = queries?.find((q) => q.Expression !== undefined);
      const metric = (m: Props, period: number, stat: string): MetricFacts => ({ namespace: m.Namespace, metricName: m.MetricName, stat, period, dimensions: dims(m.Dimensions) });
      return alarmLine({
        name: a.AlarmName,
        description: a.AlarmDescription,
        comparison: a.ComparisonOperator,
        threshold: a.Threshold,
        evaluationPeriods: a.EvaluationPeriods,
        datapointsToAlarm: a.DatapointsToAlarm,
        treatMissingData: a.TreatMissingData,
        ...(expression
          ? {
              math: {
                id: expression.Id,
                expression: expression.Expression,
                label: expression.Label,
                using: queries!.filter((q) => q.MetricStat).map((q) => ({ id: q.Id, label: q.Label, ...metric(q.MetricStat.Metric, q.MetricStat.Period, q.MetricStat.Stat) })),
              },
            }
          : { metric: metric(a, a.Period, a.Statistic ?? a.ExtendedStatistic) }),
      });
    })
    .sort();
  const dashboards = resources.filter((r) => r.Type === RESOURCE_KINDS.dashboard!.cfn);
  if (dashboards.length !== 1) throw new Error(`cdk checklist: expected one dashboard, found ${dashboards.length}`);
  const d = dashboards[0]!.Properties!;
  // The body is a Fn::Join of JSON text and tokens (inside JSON strings): tokens become a placeholder.
  const body = (d.DashboardBody['Fn::Join'][1] as unknown[]).map((part) => (typeof part === 'string' ? part : RESOURCE_VALUE)).join('');
  const widgets = (JSON.parse(body) as { widgets: Props[] }).widgets.map((w) => widgetLine(w as Parameters<typeof widgetLine>[0]));
  return { alarms, dashboardName: d.DashboardName, widgets };
}

/** The global routing resources of a template. */
export function cdkGlobalRoutingChecklist(template: { Resources: Record<string, CfnResource> }): GlobalRoutingChecklist {
  const entries = Object.values(template.Resources);
  const of = (kind: string) => entries.filter((r) => r.Type === RESOURCE_KINDS[kind]!.cfn).map((r) => r.Properties ?? {});
  return {
    ...countKinds(
      entries.map((r) => r.Type),
      'cfn',
    ),
    healthChecks: of('healthCheck')
      .map(({ HealthCheckConfig: h }) =>
        healthCheckRoute53Line({
          type: h.Type,
          fqdn: h.FullyQualifiedDomainName,
          port: h.Port,
          path: h.ResourcePath,
          interval: h.RequestInterval,
          failures: h.FailureThreshold,
          sni: h.EnableSNI === true,
          latency: h.MeasureLatency === true,
        }),
      )
      .sort(),
    records: of('dnsRecord')
      .map((r) =>
        recordLine({
          name: r.Name,
          type: r.Type,
          setIdentifier: r.SetIdentifier,
          region: r.Region,
          healthChecked: r.HealthCheckId !== undefined,
          aliasName: typeof r.AliasTarget.DNSName === 'string' ? r.AliasTarget.DNSName : RESOURCE_VALUE,
          aliasZone: r.AliasTarget.HostedZoneId,
          evaluateTargetHealth: r.AliasTarget.EvaluateTargetHealth,
        }),
      )
      .sort(),
    alarms: of('alarm')
      .map(
        (a) =>
          alarmLine({
            name: a.AlarmName,
            description: a.AlarmDescription,
            comparison: a.ComparisonOperator,
            threshold: a.Threshold,
            evaluationPeriods: a.EvaluationPeriods,
            datapointsToAlarm: a.DatapointsToAlarm ?? a.EvaluationPeriods,
            treatMissingData: a.TreatMissingData,
            metric: {
              namespace: a.Namespace,
              metricName: a.MetricName,
              stat: a.Statistic,
              period: a.Period,
              dimensions: Object.fromEntries((a.Dimensions as Props[]).map((d) => [d.Name, RESOURCE_VALUE])),
            },
          }) + ` actions=${(a.AlarmActions ?? []).length}/${(a.OKActions ?? []).length}`,
      )
      .sort(),
    accelerator: [
      ...of('accelerator').map((a) => `accelerator ${a.Name} enabled=${a.Enabled !== false}`),
      ...of('acceleratorListener').map((l) => `listener ${l.Protocol} ${(l.PortRanges as Props[]).map((p) => `${p.FromPort}-${p.ToPort}`).join(',')} affinity=${l.ClientAffinity}`),
      ...of('endpointGroup')
        .map(
          (g) =>
            `endpoints ${g.EndpointGroupRegion} dial=${g.TrafficDialPercentage} ${g.HealthCheckProtocol}:${g.HealthCheckPort}${g.HealthCheckPath} every ${g.HealthCheckIntervalSeconds}s threshold=${g.ThresholdCount} ` +
            (g.EndpointConfigurations as Props[]).map((e) => `${e.EndpointId} keep-ip=${e.ClientIPPreservationEnabled}`).join(','),
        )
        .sort(),
    ],
    sessionDatastore: of('globalDatastore').map(
      (d) =>
        `${d.GlobalReplicationGroupIdSuffix} primary=${(d.Members as Props[]).find((m) => m.Role === 'PRIMARY')?.ReplicationGroupId} failover=${d.AutomaticFailoverEnabled} ${d.GlobalReplicationGroupDescription}`,
    ),
  };
}
