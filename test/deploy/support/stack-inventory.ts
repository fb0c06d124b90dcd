/**
 * The two views of a deployed stack the tests compare: the template the CDK CLI synthesized (from
 * the cloud assembly) and the resources the emulator's CloudFormation reports as created.
 */
import { CloudFormationClient, paginateListStackResources } from '@aws-sdk/client-cloudformation';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { EmulatorClientConfig } from './emulator-environment';

/** One resource of a synthesized template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

/** A synthesized CloudFormation template (the parts the tests read). */
export interface SynthesizedTemplate {
  readonly Resources: Record<string, TemplateResource>;
  readonly Outputs?: Record<string, unknown>;
}

/** A resource CloudFormation reports for the stack. */
export interface DeployedResource {
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId: string;
  readonly status: string;
}

/**
 * Reads a stack's template from a cloud assembly directory (`cdk deploy --output`), finding the
 * file through `manifest.json` as the CLI does.
 */
export function readSynthesizedTemplate(assemblyDir: string, stackName: string): SynthesizedTemplate {
  const manifest = JSON.parse(readFileSync(path.join(assemblyDir, 'manifest.json'), 'utf8')) as {
    artifacts?: Record<string, { type: string; properties?: { templateFile?: string; stackName?: string } }>;
  };
  const artifact = Object.entries(manifest.artifacts ?? {}).find(
    ([id, candidate]) =>
      candidate.type === 'aws:cloudformation:stack' && (candidate.properties?.stackName ?? id) === stackName,
  );
  const templateFile = artifact?.[1].properties?.templateFile;
  if (!templateFile) throw new Error(`stack ${stackName} is not in the cloud assembly at ${assemblyDir}`);
  return JSON.parse(readFileSync(path.join(assemblyDir, templateFile), 'utf8')) as SynthesizedTemplate;
}

/**
 * Every resource CloudFormation lists for the stack, by logical id. moto also lists the resources
 * it skipped, with an empty logical id and no type; those are left out here.
 */
export async function listDeployedResources(
  config: EmulatorClientConfig,
  stackName: string,
): Promise<Map<string, DeployedResource>> {
  const cloudFormation = new CloudFormationClient(config);
  try {
    const resources = new Map<string, DeployedResource>();
    for await (const page of paginateListStackResources({ client: cloudFormation }, { StackName: stackName })) {
      for (const summary of page.StackResourceSummaries ?? []) {
        if (!summary.LogicalResourceId) continue;
        resources.set(summary.LogicalResourceId, {
          logicalId: summary.LogicalResourceId,
          type: summary.ResourceType ?? '',
          physicalId: summary.PhysicalResourceId ?? '',
          status: summary.ResourceStatus ?? '',
        });
      }
    }
    return resources;
  } finally {
    cloudFormation.destroy();
  }
}

/** Logical ids of the template's resources of one type, sorted. */
export function logicalIdsOfType(template: SynthesizedTemplate, type: string): string[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([logicalId]) => logicalId)
    .sort();
}
