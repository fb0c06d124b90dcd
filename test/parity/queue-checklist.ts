/**
 * Queue pools in the parity checklist: per queue pool (keyed by its queue's name) the queues, the
 * worker service and its task, the scaling (backlog target tracking and alarm-driven steps), the
 * workers' and the gateway's queue permissions. One reducer per rendering, the same lines from both.
 */
import type { RecordedResource } from '../pulumi/harness';
import { byKey, environmentLine, secretSource } from './checklist';

export interface QueuePoolChecklist {
  readonly queue: string;
  /** The queue, then its dead-letter queue: settings, key, redrive, TLS-only policy. */
  readonly queues: readonly string[];
  readonly service: string;
  /** The task, then one line per container. */
  readonly task: readonly string[];
  /** `container NAME=value` (resource-valued variables by name). */
  readonly environment: readonly string[];
  /** `container NAME <- source`. */
  readonly secrets: readonly string[];
  /** Capacity, the backlog policy, then each step policy with its alarm. */
  readonly scaling: readonly string[];
  /** The task role's statements on queues and keys. */
  readonly workerAccess: readonly string[];
}

type Props = Record<string, any>;

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);
const stepLine = (s: { lower?: unknown; upper?: unknown; adjustment: unknown }) => `[${s.lower ?? '-inf'},${s.upper ?? '+inf'}) ${Number(s.adjustment) >= 0 ? '+' : ''}${s.adjustment}`;
const alarmCondition = (a: { comparison: string; threshold: number; datapoints: number; periods: number; missing: string }) =>
  `${a.comparison} ${a.threshold} in ${a.datapoints}/${a.periods} missing=${a.missing}`;
const metricWatched = (m: { id?: string; namespace: string; metricName: string; stat: string; period: number; dimensions: readonly string[] }) =>
  `${m.id ? `${m.id}=` : ''}${m.namespace}/${m.metricName} ${m.stat} ${m.period}s [${[...m.dimensions].sort().join(',')}]`;
const accessLine = (s: { actions: readonly string[]; resources: readonly string[]; viaService?: string }) =>
  `${[...s.actions].sort().join(',')} on ${[...s.resources].sort().join(',')}${s.viaService ? ` via ${s.viaService}` : ''}`;
/** A statement on queues, or on a key through SQS only. */
const isQueueStatement = (s: Props) =>
  list(s.Action).some((a) => a.startsWith('sqs:')) || (list(s.Action).some((a) => a.startsWith('kms:')) && s.Condition?.StringEquals?.['kms:ViaService'] !== undefined);
/** The queue statements of the policies that let a role send jobs (the gateway's). */
const senderStatements = (documents: Props[][]) =>
  documents.filter((statements) => statements.some((s) => list(s.Action).includes('sqs:SendMessage'))).flatMap((statements) => statements.filter(isQueueStatement));
const queueLine = (q: { name: string; visibility?: number; retention?: number; wait?: number; key: string; reuse?: number; redrive?: string; tlsOnly: boolean }) =>
  `${q.name} visibility ${q.visibility ?? 30}s retention ${q.retention ?? 345_600}s wait ${q.wait ?? 0}s kms ${q.key} reuse ${q.reuse ?? 300}s redrive ${q.redrive ?? '-'} tls-only ${q.tlsOnly}`;

/** From a CloudFormation template. */
export function cdkQueuePools(resources: Readonly<Record<string, { readonly Type: string; readonly Properties?: Props }>>): { queuePools: QueuePoolChecklist[]; queueSenders: string[] } {
  const entries = Object.entries(resources).map(([id, r]) => [id, r.Type, r.Properties ?? {}] as const);
  const ofType = (type: string) => entries.filter(([, t]) => t === type);
  const refOf = (v: any): string => v?.Ref ?? v?.['Fn::GetAtt']?.[0];
  const props = (ref: any): Props => resources[refOf(ref)]?.Properties ?? {};
  const typeOf = (ref: any) => resources[refOf(ref)]?.Type;
  const name = (ref: any): string => {
    if (typeof ref === 'string') return ref;
    const type = typeOf(ref);
    if (type === 'AWS::SQS::Queue') return props(ref).QueueName;
    if (type === 'AWS::KMS::Key') return 'fleet key';
    return `<${type ?? 'unknown'}>`;
  };
  const tlsOnly = (queueId: string) =>
    ofType('AWS::SQS::QueuePolicy').some(
      ([, , p]) =>
        (p.Queues as any[]).some((q) => refOf(q) === queueId) && (p.PolicyDocument.Statement as Props[]).some((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false'),
    );
  const queueFacts = (id: string) => {
    const q = props({ Ref: id });
    return queueLine({
      name: q.QueueName,
      visibility: q.VisibilityTimeout,
      retention: q.MessageRetentionPeriod,
      wait: q.ReceiveMessageWaitTimeSeconds,
      key: q.KmsMasterKeyId ? name(q.KmsMasterKeyId) : '-',
      reuse: q.KmsDataKeyReusePeriodSeconds,
      ...(q.RedrivePolicy ? { redrive: `${name(q.RedrivePolicy.deadLetterTargetArn)}x${q.RedrivePolicy.maxReceiveCount}` } : {}),
      tlsOnly: tlsOnly(id),
    });
  };
  const statementsOf = (roleRef: any): Props[] =>
    ofType('AWS::IAM::Policy')
      .filter(([, , p]) => (p.Roles as any[]).some((r) => refOf(r) === refOf(roleRef)))
      .flatMap(([, , p]) => p.PolicyDocument.Statement as Props[]);
  const access = (statements: Props[]) =>
    statements
      .filter(isQueueStatement)
      .map((s) => accessLine({ actions: list(s.Action), resources: (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).map(name), viaService: s.Condition?.StringEquals?.['kms:ViaService'] }))
      .sort();

  const senders = senderStatements(ofType('AWS::IAM::Policy').map(([, , p]) => p.PolicyDocument.Statement as Props[]))
    .map((s) => accessLine({ actions: list(s.Action), resources: (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).map(name), viaService: s.Condition?.StringEquals?.['kms:ViaService'] }))
    .sort();
  const pools = ofType('AWS::ECS::Service')
    .filter(([, , s]) => !s.LoadBalancers)
    .map(([serviceId, , s]) => {
      const task = props(s.TaskDefinition);
      const containers = task.ContainerDefinitions as Props[];
      const worker = containers.find((c) => (c.Environment as Props[] | undefined)?.some((e) => e.Name === 'MCP_FLEET_WORKER_QUEUE_URL'))!;
      const queueRef = (worker.Environment as Props[]).find((e) => e.Name === 'MCP_FLEET_WORKER_QUEUE_URL')!.Value;
      const queueId = refOf(queueRef);
      const dlqId = refOf(props(queueRef).RedrivePolicy.deadLetterTargetArn);
      const d = s.DeploymentConfiguration;
      const targetId = ofType('AWS::ApplicationAutoScaling::ScalableTarget').find(([, , t]) => JSON.stringify(t.ResourceId).includes(`"${serviceId}"`))![0];
      const policies = ofType('AWS::ApplicationAutoScaling::ScalingPolicy').filter(([, , p]) => refOf(p.ScalingTargetId) === targetId);
      const target = props({ Ref: targetId });
      const scaling = [
        `capacity ${target.MinCapacity}..${target.MaxCapacity}`,
        ...policies
          .filter(([, , p]) => p.PolicyType === 'TargetTrackingScaling')
          .map(([, , p]) => {
            const c = p.TargetTrackingScalingPolicyConfiguration;
            const metrics = (c.CustomizedMetricSpecification.Metrics as Props[]).map((m) =>
              m.Expression
                ? `${m.Id}=${m.Expression} return ${m.ReturnData === true}`
                : `${metricWatched({ id: m.Id, namespace: m.MetricStat.Metric.Namespace, metricName: m.MetricStat.Metric.MetricName, stat: m.MetricStat.Stat, period: 60, dimensions: (m.MetricStat.Metric.Dimensions as Props[]).map((x) => (x.Name === 'QueueName' ? `QueueName=${name(x.Value)}` : x.Name)) })} return ${m.ReturnData === true}`,
            );
            return `TargetTracking target ${c.TargetValue} in ${c.ScaleInCooldown}s out ${c.ScaleOutCooldown}s metrics ${metrics.join('; ')}`;
          }),
        ...policies
          .filter(([, , p]) => p.PolicyType === 'StepScaling')
          .map(([policyId, , p]) => {
            const c = p.StepScalingPolicyConfiguration;
            const [, , alarm] = ofType('AWS::CloudWatch::Alarm').find(([, , a]) => (a.AlarmActions as any[] | undefined)?.some((x) => refOf(x) === policyId))!;
            const watched = alarm.Metrics
              ? (alarm.Metrics as Props[])
                  .map((m) =>
                    m.Expression
                      ? m.Expression
                      : metricWatched({
                          id: m.Id,
                          namespace: m.MetricStat.Metric.Namespace,
                          metricName: m.MetricStat.Metric.MetricName,
                          stat: m.MetricStat.Stat,
                          period: m.MetricStat.Period,
                          dimensions: (m.MetricStat.Metric.Dimensions as Props[]).map((x) => x.Name),
                        }),
                  )
                  .sort()
                  .join('; ')
              : metricWatched({ namespace: alarm.Namespace, metricName: alarm.MetricName, stat: alarm.Statistic, period: alarm.Period, dimensions: (alarm.Dimensions as Props[]).map((x) => x.Name) });
            const steps = (c.StepAdjustments as Props[]).map((x) => stepLine({ lower: x.MetricIntervalLowerBound, upper: x.MetricIntervalUpperBound, adjustment: x.ScalingAdjustment }));
            const condition = alarmCondition({
              comparison: alarm.ComparisonOperator,
              threshold: alarm.Threshold,
              datapoints: alarm.DatapointsToAlarm,
              periods: alarm.EvaluationPeriods,
              missing: alarm.TreatMissingData,
            });
            return `Step ${c.AdjustmentType} ${c.MetricAggregationType} cooldown ${c.Cooldown}s ${steps.join(' ')} when ${condition} of ${watched} | ${alarm.AlarmDescription}`;
          })
          .sort(),
      ];
      return {
        queue: props(queueRef).QueueName as string,
        queues: [queueFacts(queueId), queueFacts(dlqId)],
        service: `desired ${s.DesiredCount} min ${d.MinimumHealthyPercent}% max ${d.MaximumPercent}% breaker ${d.DeploymentCircuitBreaker.Enable} rollback ${d.DeploymentCircuitBreaker.Rollback} ${s.LaunchType} public ip ${s.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp === 'ENABLED'} registries ${(s.ServiceRegistries ?? []).length} exec ${s.EnableExecuteCommand === true}`,
        task: [
          `cpu ${task.Cpu} memory ${task.Memory} ${task.NetworkMode} platform ${task.RuntimePlatform?.OperatingSystemFamily}/${task.RuntimePlatform?.CpuArchitecture} volumes ${(task.Volumes as Props[]).map((v) => v.Name).join(',')}`,
          ...containers.map(
            (c) =>
              `${c.Name} image ${typeof c.Image === 'string' ? c.Image : 'built'} command ${JSON.stringify(c.Command ?? null)} user ${c.User} read-only root ${c.ReadonlyRootFilesystem} stop ${c.StopTimeout}s ports ${((c.PortMappings ?? []) as Props[]).length} depends ${((c.DependsOn ?? []) as Props[]).map((x) => `${x.ContainerName}:${x.Condition}`).join(',') || '-'} mounts ${((c.MountPoints ?? []) as Props[]).map((m) => `${m.SourceVolume}:${m.ContainerPath}`).join(',')}`,
          ),
        ],
        environment: containers.flatMap((c) => ((c.Environment ?? []) as Props[]).map((e) => `${c.Name} ${environmentLine(e.Name, e.Value)}`)).sort(),
        secrets: containers.flatMap((c) => ((c.Secrets ?? []) as Props[]).map((e) => `${c.Name} ${e.Name} <- ${secretSource(props(e.ValueFrom).Description as string | undefined)}`)).sort(),
        scaling,
        workerAccess: access(statementsOf(task.TaskRoleArn)),
      };
    })
    .sort(byKey((q) => q.queue));
  return { queuePools: pools, queueSenders: senders };
}

/** From the resources a Pulumi program registered. */
export function pulumiQueuePools(resources: readonly RecordedResource[]): { queuePools: QueuePoolChecklist[]; queueSenders: string[] } {
  const custom = resources.filter((r) => r.custom);
  const ofType = (type: string) => custom.filter((r) => r.type === type);
  /** Mocked ARNs and ids end in the logical name (`.../<name>`, `<name>-id`); SQS ARNs and URLs in the queue name. */
  const byRef = (type: string, ref: string) => {
    const logical = ref.endsWith('-id') ? ref.slice(0, -3) : ref.split('/').pop()!;
    return ofType(type).find((r) => r.name === logical);
  };
  const queueByName = (nameOrRef: string) => ofType('aws:sqs/queue:Queue').find((q) => q.inputs.name === nameOrRef.split(/[/:]/).pop());
  const name = (ref: string): string => (ref.startsWith('arn:aws:kms:') ? 'fleet key' : ref.startsWith('arn:aws:sqs:') ? ref.split(':').pop()! : ref);
  const tlsOnly = (queue: RecordedResource) =>
    ofType('aws:sqs/queuePolicy:QueuePolicy').some(
      (p) => queueByName(p.inputs.queueUrl) === queue && (JSON.parse(p.inputs.policy).Statement as Props[]).some((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false'),
    );
  const queueFacts = (queue: RecordedResource) => {
    const q = queue.inputs;
    const redrive = q.redrivePolicy ? JSON.parse(q.redrivePolicy) : undefined;
    return queueLine({
      name: q.name,
      visibility: q.visibilitySeconds ?? q.visibilityTimeoutSeconds,
      retention: q.messageRetentionSeconds,
      wait: q.receiveWaitTimeSeconds,
      key: q.kmsMasterKeyId ? name(q.kmsMasterKeyId) : '-',
      reuse: q.kmsDataKeyReusePeriodSeconds,
      ...(redrive ? { redrive: `${name(redrive.deadLetterTargetArn)}x${redrive.maxReceiveCount}` } : {}),
      tlsOnly: tlsOnly(queue),
    });
  };
  const access = (roleId: string) =>
    ofType('aws:iam/rolePolicy:RolePolicy')
      .filter((p) => p.inputs.role === roleId)
      .flatMap((p) => JSON.parse(p.inputs.policy).Statement as Props[])
      .filter(isQueueStatement)
      .map((s) => accessLine({ actions: list(s.Action), resources: list(s.Resource).map(name), viaService: s.Condition?.StringEquals?.['kms:ViaService'] }))
      .sort();

  const senders = senderStatements(ofType('aws:iam/rolePolicy:RolePolicy').map((p) => JSON.parse(p.inputs.policy).Statement as Props[]))
    .map((s) => accessLine({ actions: list(s.Action), resources: list(s.Resource).map(name), viaService: s.Condition?.StringEquals?.['kms:ViaService'] }))
    .sort();
  // Tags of pushed image builds: a container running `<tag>@<digest>` runs a built image.
  const builtRefs = resources.filter((r) => r.type === 'docker-build:index:Image').map((r) => String((r.inputs.tags as unknown[])[0]));
  const image = (ref: string) => (builtRefs.some((tag) => ref.startsWith(`${tag}@`)) ? 'built' : ref);
  const pools = ofType('aws:ecs/service:Service')
    .filter((s) => !s.inputs.loadBalancers)
    .map(({ inputs: s }) => {
      const task = byRef('aws:ecs/taskDefinition:TaskDefinition', s.taskDefinition)!.inputs;
      const containers = JSON.parse(task.containerDefinitions) as Props[];
      const worker = containers.find((c) => (c.environment as Props[] | undefined)?.some((e) => e.name === 'MCP_FLEET_WORKER_QUEUE_URL'))!;
      const queue = queueByName((worker.environment as Props[]).find((e) => e.name === 'MCP_FLEET_WORKER_QUEUE_URL')!.value)!;
      const dlq = queueByName(JSON.parse(queue.inputs.redrivePolicy).deadLetterTargetArn)!;
      const target = ofType('aws:appautoscaling/target:Target').find((t) => String(t.inputs.resourceId).endsWith(`/${s.name}`))!.inputs;
      const policies = ofType('aws:appautoscaling/policy:Policy').filter((p) => p.inputs.resourceId === target.resourceId);
      const dims = (d: Props[] | Record<string, string>) => (Array.isArray(d) ? d.map((x) => (x.name === 'QueueName' ? `QueueName=${x.value}` : x.name)) : Object.keys(d));
      const scaling = [
        `capacity ${target.minCapacity}..${target.maxCapacity}`,
        ...policies
          .filter((p) => p.inputs.policyType === 'TargetTrackingScaling')
          .map(({ inputs: p }) => {
            const c = p.targetTrackingScalingPolicyConfiguration;
            const metrics = (c.customizedMetricSpecification.metrics as Props[]).map((m) =>
              m.expression
                ? `${m.id}=${m.expression} return ${m.returnData === true}`
                : `${metricWatched({ id: m.id, namespace: m.metricStat.metric.namespace, metricName: m.metricStat.metric.metricName, stat: m.metricStat.stat, period: 60, dimensions: dims(m.metricStat.metric.dimensions) })} return ${m.returnData === true}`,
            );
            return `TargetTracking target ${c.targetValue} in ${c.scaleInCooldown}s out ${c.scaleOutCooldown}s metrics ${metrics.join('; ')}`;
          }),
        ...policies
          .filter((p) => p.inputs.policyType === 'StepScaling')
          .map((policy) => {
            const c = policy.inputs.stepScalingPolicyConfiguration;
            const alarm = ofType('aws:cloudwatch/metricAlarm:MetricAlarm').find((a) => (a.inputs.alarmActions as string[] | undefined)?.some((x) => x.split('/').pop() === policy.name))!.inputs;
            const watched = alarm.metricQueries
              ? (alarm.metricQueries as Props[])
                  .map((m) =>
                    m.expression
                      ? m.expression
                      : metricWatched({
                          id: m.id,
                          namespace: m.metric.namespace,
                          metricName: m.metric.metricName,
                          stat: m.metric.stat,
                          period: m.metric.period,
                          dimensions: Object.keys(m.metric.dimensions),
                        }),
                  )
                  .sort()
                  .join('; ')
              : metricWatched({ namespace: alarm.namespace, metricName: alarm.metricName, stat: alarm.statistic, period: alarm.period, dimensions: Object.keys(alarm.dimensions) });
            const num = (v: unknown) => (v === undefined ? undefined : Number(v));
            const steps = (c.stepAdjustments as Props[]).map((x) => stepLine({ lower: num(x.metricIntervalLowerBound), upper: num(x.metricIntervalUpperBound), adjustment: x.scalingAdjustment }));
            const condition = alarmCondition({
              comparison: alarm.comparisonOperator,
              threshold: alarm.threshold,
              datapoints: alarm.datapointsToAlarm,
              periods: alarm.evaluationPeriods,
              missing: alarm.treatMissingData,
            });
            return `Step ${c.adjustmentType} ${c.metricAggregationType} cooldown ${c.cooldown}s ${steps.join(' ')} when ${condition} of ${watched} | ${alarm.alarmDescription}`;
          })
          .sort(),
      ];
      const secretDescription = (arn: string) => byRef('aws:secretsmanager/secret:Secret', arn)?.inputs.description as string | undefined;
      return {
        queue: queue.inputs.name as string,
        queues: [queueFacts(queue), queueFacts(dlq)],
        service: `desired ${s.desiredCount} min ${s.deploymentMinimumHealthyPercent}% max ${s.deploymentMaximumPercent}% breaker ${s.deploymentCircuitBreaker.enable} rollback ${s.deploymentCircuitBreaker.rollback} ${s.launchType} public ip ${s.networkConfiguration.assignPublicIp === true} registries ${s.serviceRegistries ? 1 : 0} exec ${s.enableExecuteCommand === true}`,
        task: [
          `cpu ${task.cpu} memory ${task.memory} ${task.networkMode} platform ${task.runtimePlatform?.operatingSystemFamily}/${task.runtimePlatform?.cpuArchitecture} volumes ${(task.volumes as Props[]).map((v) => v.name).join(',')}`,
          ...containers.map(
            (c) =>
              `${c.name} image ${image(c.image)} command ${JSON.stringify(c.command ?? null)} user ${c.user} read-only root ${c.readonlyRootFilesystem} stop ${c.stopTimeout}s ports ${((c.portMappings ?? []) as Props[]).length} depends ${((c.dependsOn ?? []) as Props[]).map((x) => `${x.containerName}:${x.condition}`).join(',') || '-'} mounts ${((c.mountPoints ?? []) as Props[]).map((m) => `${m.sourceVolume}:${m.containerPath}`).join(',')}`,
          ),
        ],
        environment: containers.flatMap((c) => ((c.environment ?? []) as Props[]).map((e) => `${c.name} ${environmentLine(e.name, e.value)}`)).sort(),
        secrets: containers.flatMap((c) => ((c.secrets ?? []) as Props[]).map((e) => `${c.name} ${e.name} <- ${secretSource(secretDescription(e.valueFrom))}`)).sort(),
        scaling,
        workerAccess: access(task.taskRoleArn.replace(/^.*\//, '').concat('-id')),
      };
    })
    .sort(byKey((q) => q.queue));
  return { queuePools: pools, queueSenders: senders };
}
