/**
 * Turns a failed `cdk deploy` into a message that says why: the stack status, the CloudFormation
 * events whose status reason explains the failure, the CLI's own error lines and what the emulator
 * logged besides its request lines.
 */
import { CloudFormationClient, DescribeStacksCommand, paginateDescribeStackEvents, type StackEvent } from '@aws-sdk/client-cloudformation';
import type { CdkRun } from './cdk-cli';
import type { EmulatorClientConfig } from './emulator-environment';

/** How much of the CLI output and of the emulator log a report keeps (their ends). */
const OUTPUT_TAIL_LINES = 40;
const EMULATOR_LOG_TAIL_LINES = 40;

/** An access-log line of the emulator's HTTP server, e.g. `127.0.0.1 - - [date] "POST / HTTP/1.1" 200 -`. */
const ACCESS_LOG_LINE = /^\S+ - - \[[^\]]+\] "/;

/** A `cdk` run that did not succeed, with everything known about why. */
export class DeployFailure extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'DeployFailure';
  }
}

/**
 * Builds the failure report for a CLI run that failed.
 * @param stackName the stack whose status and events to show; undefined for a synthesis.
 * @param emulatorLog the moto server's log so far.
 */
export async function describeDeployFailure(config: EmulatorClientConfig, stackName: string | undefined, run: CdkRun, emulatorLog: string): Promise<DeployFailure> {
  const ending = run.timedOut ? `timed out after ${run.durationMs} ms` : `exited with code ${run.exitCode}`;
  const sections = [
    `\`${run.command}\` ${ending}.`,
    ...(stackName === undefined ? [] : [await stackEventsSection(config, stackName)]),
    `CDK CLI output (last ${OUTPUT_TAIL_LINES} lines):\n${tail(run.output.split('\n'), OUTPUT_TAIL_LINES)}`,
    `Emulator log without request lines (last ${EMULATOR_LOG_TAIL_LINES} lines):\n${tail(
      emulatorLog.split('\n').filter((line) => !ACCESS_LOG_LINE.test(line)),
      EMULATOR_LOG_TAIL_LINES,
    )}`,
  ];
  return new DeployFailure(sections.join('\n\n'));
}

/**
 * The stack's status and the events that carry a reason, oldest first. The emulator creates a
 * stack's resources inside ExecuteChangeSet and answers that call with the error of the resource
 * that failed, so its reason may only be in the CLI output; a real CloudFormation puts it in the
 * events, which are shown whenever there are any.
 */
async function stackEventsSection(config: EmulatorClientConfig, stackName: string): Promise<string> {
  const cloudFormation = new CloudFormationClient(config);
  try {
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = Stacks?.[0];
    const events: StackEvent[] = [];
    for await (const page of paginateDescribeStackEvents({ client: cloudFormation }, { StackName: stackName })) {
      events.push(...(page.StackEvents ?? []));
    }
    const explained = events
      .filter((event) => event.ResourceStatusReason && event.ResourceStatusReason !== 'User Initiated')
      .reverse()
      .map((event) => `  ${event.Timestamp?.toISOString() ?? '?'} ${event.LogicalResourceId} (${event.ResourceType}) ` + `${event.ResourceStatus}: ${event.ResourceStatusReason}`);
    return [
      `Stack ${stackName}: ${stack?.StackStatus ?? 'unknown status'}${stack?.StackStatusReason ? ` (${stack.StackStatusReason})` : ''}`,
      explained.length > 0 ? `CloudFormation events with a reason (DescribeStackEvents):\n${explained.join('\n')}` : 'CloudFormation events: none carries a reason (see the CLI output below).',
    ].join('\n');
  } catch (error) {
    return `Stack ${stackName}: could not be described (${(error as Error).message}).`;
  } finally {
    cloudFormation.destroy();
  }
}

function tail(lines: readonly string[], count: number): string {
  return lines
    .filter((line) => line.trim() !== '')
    .slice(-count)
    .join('\n');
}
