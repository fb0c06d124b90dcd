/** Reduces the resources a Pulumi program registered (recorded by the mocks harness) to the shared checklist. */
import type { RecordedResource } from '../pulumi/harness';
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
import { pulumiQueuePools } from './queue-checklist';

type Inputs = Record<string, any>;

const SECRET_SIG_KEY = '4dabf18193072939515e22adb298388d';
const isSecret = (v: unknown): boolean => typeof v === 'object' && v !== null && SECRET_SIG_KEY in v;
const unwrap = (v: any) => (isSecret(v) ? v.value : v);
const firstKey = (o: object | undefined) => (o ? (Object.keys(o)[0] ?? '-') : '-');
const portRange = (r: Inputs) => (r.ipProtocol === '-1' ? 'all' : `${r.ipProtocol}/${r.fromPort}${r.toPort !== r.fromPort ? `-${r.toPort}` : ''}`);

export async function pulumiChecklist(resources: readonly RecordedResource[]): Promise<FleetChecklist> {
  const custom = resources.filter((r) => r.custom);
  const ofKind = (kind: string) => custom.filter((r) => r.type === RESOURCE_KINDS[kind]!.pulumi);
  const ofType = (type: string) => custom.filter((r) => r.type === type);
  const one = (kind: string) => {
    const found = ofKind(kind);
    if (found.length !== 1) throw new Error(`pulumi checklist: expected one ${kind}, found ${found.length}`);
    return found[0]!.inputs;
  };
  /** Mocked ARNs and ids end in the logical name (`.../<name>`, `<name>-id`). */
  const byRef = (kind: string, ref: string): RecordedResource => {
    const logical = ref.endsWith('-id') ? ref.slice(0, -3) : ref.split('/').pop()!;
    const found = ofKind(kind).find((r) => r.name === logical);
    if (!found) throw new Error(`pulumi checklist: no ${kind} for ${ref}`);
    return found;
  };
  const targetGroupName = (arn: string) => byRef('targetGroup', arn).inputs.name as string;
  const discovery = (arn: string) => {
    const d = byRef('cloudMapService', arn).inputs;
    return cloudMapLine({ name: d.name, records: d.dnsConfig.dnsRecords, routing: d.dnsConfig.routingPolicy, customHealth: d.healthCheckCustomConfig !== undefined });
  };

  const lb = one('loadBalancer');
  const listeners = ofKind('listener')
    .map((r) => r.inputs)
    .sort(byKey((l) => l.port))
    .map((l) => {
      const [action] = l.defaultActions;
      const rendered =
        action.type === 'redirect'
          ? `redirect ${action.redirect.protocol}:${action.redirect.port} ${action.redirect.statusCode}`
          : `fixed-response ${action.fixedResponse.statusCode} ${action.fixedResponse.contentType} ${action.fixedResponse.messageBody}`;
      return `${l.port} ${l.protocol} ${l.sslPolicy ?? '-'} -> ${rendered}`;
    });

  const rules = ofKind('listenerRule')
    .map(({ inputs: r }) => {
      const conditions = (r.conditions as Inputs[]).map((c) =>
        c.pathPattern
          ? `path-pattern=${c.pathPattern.values.join('|')}`
          : c.httpHeader
            ? `http-header ${c.httpHeader.httpHeaderName}=${c.httpHeader.values.join('|')}`
            : `source-ip=${c.sourceIp.values.join('|')}`,
      );
      const jwt = (r.actions as Inputs[]).find((a) => a.type === 'jwt-validation')?.jwtValidation;
      const forward = (r.actions as Inputs[]).find((a) => a.type === 'forward')!;
      return {
        priority: r.priority as number,
        conditions: conditions.sort(),
        jwt: jwt ? `${jwt.issuer} ${jwt.jwksEndpoint} ${(jwt.additionalClaims as Inputs[]).map((c) => `${c.name}:${c.format}:${c.values.join(',')}`).join(' ')}` : null,
        target: targetGroupName(forward.targetGroupArn),
      };
    })
    .sort(byKey((r) => r.priority));

  const targetGroups = ofKind('targetGroup')
    .map(({ inputs: t }) => {
      const lambda = t.targetType === 'lambda';
      const h = t.healthCheck ?? {};
      return {
        name: t.name as string,
        targetType: t.targetType as string,
        port: lambda ? null : (t.port as number),
        algorithm: lambda ? null : (t.loadBalancingAlgorithmType ?? 'round_robin'),
        deregistrationDelaySeconds: lambda ? null : (t.deregistrationDelay ?? 300),
        healthCheck: healthCheckLine({ path: h.path, interval: h.interval, timeout: h.timeout, healthy: h.healthyThreshold, unhealthy: h.unhealthyThreshold, matcher: h.matcher }),
        stickiness: t.stickiness?.enabled ? `${t.stickiness.type}:${t.stickiness.cookieDuration}` : null,
        multiValueHeaders: t.lambdaMultiValueHeadersEnabled === true,
      };
    })
    .sort(byKey((t) => t.name));

  // Tags of pushed pool image builds: a task running `<tag>@<digest>` runs a built image.
  const builtRefs = resources.filter((r) => r.type === 'docker-build:index:Image').map((r) => String((r.inputs.tags as unknown[])[0]));
  // Load-balanced services (queue pools' worker services: `queuePools`).
  const services = ofKind('ecsService')
    .filter(({ inputs: s }) => s.loadBalancers)
    .map(({ inputs: s }) => {
      const [binding] = s.loadBalancers as Inputs[];
      const task = byRef('taskDefinition', s.taskDefinition).inputs;
      const [c] = JSON.parse(task.containerDefinitions) as Inputs[];
      return {
        targetGroup: targetGroupName(binding!.targetGroupArn),
        desiredCount: s.desiredCount as number,
        deployment: `min ${s.deploymentMinimumHealthyPercent}% max ${s.deploymentMaximumPercent}% breaker ${s.deploymentCircuitBreaker.enable} rollback ${s.deploymentCircuitBreaker.rollback} ${s.launchType} tags from ${s.propagateTags} ecs tags ${s.enableEcsManagedTags === true} exec ${s.enableExecuteCommand === true}`,
        healthCheckGraceSeconds: s.healthCheckGracePeriodSeconds as number,
        publicIp: s.networkConfiguration.assignPublicIp === true,
        container: `${binding!.containerName}:${binding!.containerPort}`,
        cloudMap: s.serviceRegistries ? discovery(s.serviceRegistries.registryArn) : '-',
        task: [
          `cpu ${task.cpu} memory ${task.memory} ${task.networkMode} ${task.requiresCompatibilities.join(',')}`,
          // Fargate's defaults when the platform is not given.
          `platform ${task.runtimePlatform?.operatingSystemFamily ?? 'LINUX'}/${task.runtimePlatform?.cpuArchitecture ?? 'X86_64'}`,
          `container ${c!.name} image ${builtRefs.some((tag) => (c!.image as string).startsWith(`${tag}@`)) ? 'built' : c!.image} command ${JSON.stringify(c!.command ?? null)} user ${c!.user} read-only root ${c!.readonlyRootFilesystem} stop ${c!.stopTimeout}s`,
          `health ${c!.healthCheck ? `${(c!.healthCheck.command as string[]).join(' ')} every ${c!.healthCheck.interval}s timeout ${c!.healthCheck.timeout}s retries ${c!.healthCheck.retries} start ${c!.healthCheck.startPeriod}s` : 'none'}`,
          `ports ${(c!.portMappings as Inputs[]).map((p) => `${p.name}:${p.containerPort}/${p.protocol}`).join(',')}`,
          `volumes ${(task.volumes as Inputs[]).map((v) => v.name).join(',')} mounts ${(c!.mountPoints as Inputs[]).map((m) => `${m.sourceVolume}:${m.containerPath}:${m.readOnly ? 'ro' : 'rw'}`).join(',')}`,
        ].join('; '),
        environment: (c!.environment as Inputs[]).map((e) => environmentLine(e.name, e.value)).sort(),
        secrets: (c!.secrets as Inputs[])
          .map((e) => `${e.name} <- ${secretSource(ofKind('secret').find((r) => r.name === String(e.valueFrom).split('/').pop())?.inputs.description as string | undefined)}`)
          .sort(),
      };
    })
    .sort(byKey((s) => s.targetGroup));

  const serviceByName = new Map(ofKind('ecsService').map((r) => [r.inputs.name as string, r.inputs]));
  const scaling = ofKind('scalableTarget')
    .filter(({ inputs: t }) => serviceByName.get((t.resourceId as string).split('/').pop()!)!.loadBalancers)
    .map(({ inputs: t }) => {
      const service = serviceByName.get((t.resourceId as string).split('/').pop()!)!;
      const policies = ofKind('scalingPolicy')
        .filter((p) => p.inputs.resourceId === t.resourceId)
        .map(({ inputs: p }) => {
          const c = p.targetTrackingScalingPolicyConfiguration;
          const custom = c.customizedMetricSpecification;
          const metric = custom
            ? `custom ${custom.namespace}/${custom.metricName} ${custom.statistic} [${(custom.dimensions as Inputs[]).map((d) => `${d.name}=${d.value}`).join(',')}]`
            : c.predefinedMetricSpecification.predefinedMetricType;
          return `${p.policyType} ${metric} target ${c.targetValue} in ${c.scaleInCooldown}s out ${c.scaleOutCooldown}s`;
        });
      return { targetGroup: targetGroupName(service.loadBalancers[0].targetGroupArn), min: t.minCapacity as number, max: t.maxCapacity as number, policies: policies.sort() };
    })
    .sort(byKey((s) => s.targetGroup));

  const acl = one('webAcl');
  const firewall = {
    name: acl.name as string,
    scope: acl.scope as string,
    defaultAction: firstKey(acl.defaultAction),
    rules: (acl.rules as Inputs[])
      .map((r) => {
        const managed = r.statement.managedRuleGroupStatement;
        if (managed) {
          const overrides = (managed.ruleActionOverrides ?? []).map((o: Inputs) => `${o.name}:${firstKey(o.actionToUse)}`).join(',');
          return `${r.priority} ${r.name} managed ${managed.vendorName}/${managed.name} overrides [${overrides}] ${firstKey(r.overrideAction)} metric ${r.visibilityConfig.metricName}`;
        }
        const block = r.action.block?.customResponse;
        const rate = r.statement.rateBasedStatement;
        if (!rate) {
          const matches = ((r.statement.andStatement?.statements ?? [r.statement]) as Inputs[]).map((m) => {
            const b = m.byteMatchStatement;
            return `${b.fieldToMatch.singleHeader.name} ${b.positionalConstraint} ${b.searchString} ${b.textTransformations.map((t: Inputs) => t.type).join('+')}`;
          });
          return `${r.priority} ${r.name} match [${matches.join(' & ')}] ${firstKey(r.action)} ${block?.responseCode}:${block?.customResponseBodyKey} metric ${r.visibilityConfig.metricName}`;
        }
        const keys = (rate.customKeys ?? []).map((k: Inputs) => (k.header ? `header:${k.header.name}` : Object.keys(k)[0]!.toLowerCase())).join(',');
        return `${r.priority} ${r.name} rate ${rate.limit}/${rate.evaluationWindowSec}s ${rate.aggregateKeyType}[${keys}] ${firstKey(r.action)} ${block?.responseCode}:${block?.customResponseBodyKey} metric ${r.visibilityConfig.metricName}`;
      })
      .sort(),
    responseBodies: (acl.customResponseBodies as Inputs[]).map((b) => `${b.key} ${b.contentType} ${b.content}`).sort(),
    redactedHeaders: (one('webAclLogging').redactedFields as Inputs[]).map((f) => f.singleHeader.name as string).sort(),
    associated: ofKind('webAclAssociation').some((a) => byRef('loadBalancer', a.inputs.resourceArn) === ofKind('loadBalancer')[0]),
  };

  const [fn] = ofKind('lambdaFunction').map((f) => f.inputs);
  const env = (fn?.environment.variables ?? {}) as Record<string, string>;
  const gateway =
    fn === undefined
      ? null
      : {
          name: fn.name as string,
          runtime: fn.runtime as string,
          architectures: fn.architectures as string[],
          handler: fn.handler as string,
          memoryMiB: fn.memorySize as number,
          timeoutSeconds: fn.timeout as number,
          inVpc: fn.vpcConfig !== undefined,
          environmentNames: Object.keys(env).sort(),
          environmentLiterals: { MCP_FLEET_SPEC: env.MCP_FLEET_SPEC!, MCP_FLEET_POOL_URLS: env.MCP_FLEET_POOL_URLS! },
          codeSource: (await fn.code.path) as string,
        };

  const description = (id: string) => byRef('securityGroup', id).inputs.description as string;
  const ingress = ofType('aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule')
    .map(({ inputs: r }) => `${r.referencedSecurityGroupId ? description(r.referencedSecurityGroupId) : `cidr ${r.cidrIpv4 ?? r.cidrIpv6}`} -> ${description(r.securityGroupId)} ${portRange(r)}`)
    .sort();
  const egress = ofType('aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule')
    .map(({ inputs: r }) => `${description(r.securityGroupId)} -> ${r.referencedSecurityGroupId ? description(r.referencedSecurityGroupId) : `cidr ${r.cidrIpv4 ?? r.cidrIpv6}`} ${portRange(r)}`)
    .sort();

  return {
    ...countKinds(
      custom.map((r) => r.type),
      'pulumi',
    ),
    loadBalancer: {
      name: lb.name,
      internetFacing: lb.internal !== true,
      idleTimeoutSeconds: lb.idleTimeout ?? 60,
      dropInvalidHeaderFields: lb.dropInvalidHeaderFields === true,
      desyncMitigationMode: lb.desyncMitigationMode ?? 'defensive',
      http2: lb.enableHttp2 !== false,
      deletionProtection: lb.enableDeletionProtection === true,
      accessLogsPrefix: lb.accessLogs?.enabled ? lb.accessLogs.prefix : '-',
    },
    listeners,
    rules,
    targetGroups,
    services,
    scaling,
    sessionStore: sessionStore(custom, ofKind),
    firewall,
    gateway,
    ingress,
    egress,
    subnets: ofKind('subnet')
      .map((s) => `${s.name.includes('-public-') ? 'public' : 'private'} ${s.inputs.cidrBlock}`)
      .sort(),
    ...pulumiQueuePools(resources),
  };
}

function sessionStore(custom: readonly RecordedResource[], ofKind: (kind: string) => RecordedResource[]): Record<string, string | number | boolean> {
  // A password reaches the cache only through a write-only input fed by the value written to a Secrets Manager secret.
  const stored = new Set(custom.filter((r) => r.type === 'aws:secretsmanager/secretVersion:SecretVersion').map((r) => unwrap(r.inputs.secretStringWo)));
  const auth = (plain: unknown, writeOnly: unknown) => (plain !== undefined ? 'plaintext in state' : isSecret(writeOnly) && stored.has(unwrap(writeOnly)) ? 'from Secrets Manager' : 'none');
  const [group] = ofKind('cacheReplicationGroup');
  if (group) {
    const g = group.inputs;
    return {
      deployment: 'replication-group',
      id: g.replicationGroupId,
      engine: g.engine,
      engineVersion: g.engineVersion,
      nodeType: g.nodeType,
      shards: g.numNodeGroups,
      replicasPerShard: g.replicasPerNodeGroup,
      multiAz: g.multiAzEnabled === true,
      automaticFailover: g.automaticFailoverEnabled === true,
      transitEncryption: g.transitEncryptionEnabled === true,
      transitEncryptionMode: g.transitEncryptionMode ?? '-',
      atRestEncryption: g.atRestEncryptionEnabled === true,
      customerManagedKey: g.kmsKeyId !== undefined,
      port: g.port,
      snapshotRetentionDays: g.snapshotRetentionLimit ?? 0,
      auth: auth(g.authToken, g.authTokenWo),
    };
  }
  const s = ofKind('serverlessCache')[0]!.inputs;
  const user = ofKind('cacheUser')[0]!.inputs;
  return {
    deployment: 'serverless',
    name: s.name,
    engine: s.engine,
    majorEngineVersion: s.majorEngineVersion,
    customerManagedKey: s.kmsKeyId !== undefined,
    snapshotRetentionDays: s.snapshotRetentionLimit ?? 0,
    userGroup: s.userGroupId,
    defaultUser: `${user.userId} ${user.userName} ${user.accessString}`,
    auth: auth(user.passwords, user.passwordsWo),
  };
}

/** The alarms and dashboard layout a Pulumi program registered. */
export function pulumiMonitoringChecklist(resources: readonly RecordedResource[]): MonitoringChecklist {
  const metricFacts = (m: Inputs, period: number, stat: string): MetricFacts => ({ namespace: m.namespace, metricName: m.metricName, stat, period, dimensions: m.dimensions ?? {} });
  const alarms = resources
    .filter((r) => r.type === RESOURCE_KINDS.alarm!.pulumi)
    .map(({ inputs: a }) => {
      const queries = a.metricQueries as Inputs[] | undefined;
      const expression = queries?.find((q) => q.expression !== undefined);
      return alarmLine({
        name: a.name,
        description: a.alarmDescription,
        comparison: a.comparisonOperator,
        threshold: a.threshold,
        evaluationPeriods: a.evaluationPeriods,
        datapointsToAlarm: a.datapointsToAlarm,
        treatMissingData: a.treatMissingData,
        ...(expression
          ? {
              math: {
                id: expression.id,
                expression: expression.expression,
                label: expression.label,
                using: queries!.filter((q) => q.metric).map((q) => ({ id: q.id, label: q.label, ...metricFacts(q.metric, q.metric.period, q.metric.stat) })),
              },
            }
          : { metric: metricFacts(a, a.period, a.statistic ?? a.extendedStatistic) }),
      });
    })
    .sort();
  const dashboards = resources.filter((r) => r.type === RESOURCE_KINDS.dashboard!.pulumi);
  if (dashboards.length !== 1) throw new Error(`pulumi checklist: expected one dashboard, found ${dashboards.length}`);
  const body = JSON.parse(dashboards[0]!.inputs.dashboardBody) as { widgets: Inputs[] };
  return { alarms, dashboardName: dashboards[0]!.inputs.dashboardName, widgets: body.widgets.map((w) => widgetLine(w as Parameters<typeof widgetLine>[0])) };
}

/** The global routing resources a Pulumi program registered. */
export function pulumiGlobalRoutingChecklist(resources: readonly RecordedResource[]): GlobalRoutingChecklist {
  const custom = resources.filter((r) => r.custom);
  const of = (kind: string) => custom.filter((r) => r.type === RESOURCE_KINDS[kind]!.pulumi).map((r) => r.inputs);
  return {
    ...countKinds(
      custom.map((r) => r.type),
      'pulumi',
    ),
    healthChecks: of('healthCheck')
      .map((h) =>
        healthCheckRoute53Line({
          type: h.type,
          fqdn: h.fqdn,
          port: h.port,
          path: h.resourcePath,
          interval: h.requestInterval,
          failures: h.failureThreshold,
          sni: h.enableSni === true,
          latency: h.measureLatency === true,
        }),
      )
      .sort(),
    records: of('dnsRecord')
      .map((r) => {
        const [alias] = r.aliases as Inputs[];
        return recordLine({
          name: r.name,
          type: r.type,
          setIdentifier: r.setIdentifier,
          region: r.latencyRoutingPolicies?.[0]?.region,
          healthChecked: r.healthCheckId !== undefined,
          aliasName: alias!.name,
          aliasZone: alias!.zoneId,
          evaluateTargetHealth: alias!.evaluateTargetHealth,
        });
      })
      .sort(),
    alarms: of('alarm')
      .map(
        (a) =>
          alarmLine({
            name: a.name,
            description: a.alarmDescription,
            comparison: a.comparisonOperator,
            threshold: a.threshold,
            evaluationPeriods: a.evaluationPeriods,
            datapointsToAlarm: a.datapointsToAlarm ?? a.evaluationPeriods,
            treatMissingData: a.treatMissingData,
            metric: { namespace: a.namespace, metricName: a.metricName, stat: a.statistic, period: a.period, dimensions: a.dimensions },
          }) + ` actions=${(a.alarmActions ?? []).length}/${(a.okActions ?? []).length}`,
      )
      .sort(),
    accelerator: [
      ...of('accelerator').map((a) => `accelerator ${a.name} enabled=${a.enabled !== false}`),
      ...of('acceleratorListener').map((l) => `listener ${l.protocol} ${(l.portRanges as Inputs[]).map((p) => `${p.fromPort}-${p.toPort}`).join(',')} affinity=${l.clientAffinity}`),
      ...of('endpointGroup')
        .map(
          (g) =>
            `endpoints ${g.endpointGroupRegion} dial=${g.trafficDialPercentage} ${g.healthCheckProtocol}:${g.healthCheckPort}${g.healthCheckPath} every ${g.healthCheckIntervalSeconds}s threshold=${g.thresholdCount} ` +
            (g.endpointConfigurations as Inputs[]).map((e) => `${e.endpointId} keep-ip=${e.clientIpPreservationEnabled}`).join(','),
        )
        .sort(),
    ],
    sessionDatastore: of('globalDatastore').map(
      (d) => `${d.globalReplicationGroupIdSuffix} primary=${d.primaryReplicationGroupId} failover=${d.automaticFailoverEnabled} ${d.globalReplicationGroupDescription}`,
    ),
  };
}
