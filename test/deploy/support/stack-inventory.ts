/**
 * The two views of a deployed stack the tests compare: the template the CDK CLI synthesized (from
 * the cloud assembly) and the resources the emulator's CloudFormation reports as created.
 */
import { CloudFormationClient, paginateListStackResources } from '@aws-sdk/client-cloudformation';
import { existsSync, readFileSync } from 'node:fs';
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

/** A stack of a cloud assembly: its template and where it deploys. */
export interface StackArtifact {
  readonly template: SynthesizedTemplate;
  /** The stack's region (`aws://account/region` in the manifest); undefined for environment-agnostic stacks. */
  readonly region: string | undefined;
}

/**
 * Reads a stack's template and environment from a cloud assembly directory (`cdk deploy --output`),
 * finding them through `manifest.json` as the CLI does.
 * @returns undefined when synthesis did not write the manifest or the stack is not in it.
 */
export function findStackArtifact(assemblyDir: string, stackName: string): StackArtifact | undefined {
  const manifestFile = path.join(assemblyDir, 'manifest.json');
  if (!existsSync(manifestFile)) return undefined;
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
    artifacts?: Record<string, { type: string; environment?: string; properties?: { templateFile?: string; stackName?: string } }>;
  };
  const artifact = Object.entries(manifest.artifacts ?? {}).find(([id, candidate]) => candidate.type === 'aws:cloudformation:stack' && (candidate.properties?.stackName ?? id) === stackName)?.[1];
  const templateFile = artifact?.properties?.templateFile;
  if (!artifact || !templateFile) return undefined;
  const region = /^aws:\/\/[^/]+\/(.+)$/.exec(artifact.environment ?? '')?.[1];
  return {
    template: JSON.parse(readFileSync(path.join(assemblyDir, templateFile), 'utf8')) as SynthesizedTemplate,
    region: region === undefined || region === 'unknown-region' ? undefined : region,
  };
}

/**
 * Every resource CloudFormation lists for the stack, by logical id. moto also lists the resources
 * it skipped, with an empty logical id and no type; those are left out here.
 */
export async function listDeployedResources(config: EmulatorClientConfig, stackName: string): Promise<Map<string, DeployedResource>> {
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
