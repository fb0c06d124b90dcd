/** A user's Pulumi program, as the README's testing snippet imports it (pulumi-testing.test.ts). */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import type { FleetSpec } from 'mcp-fleet';
import { McpFleet } from 'mcp-fleet/pulumi';
import { spec } from './spec-snippet';

/** The README spec builds `servers/images` of the user's project: here, a directory with a Dockerfile. */
function inUserProject(fleet: FleetSpec): FleetSpec {
  const project = mkdtempSync(join(tmpdir(), 'mcp-fleet-program-'));
  mkdirSync(join(project, 'servers', 'images'), { recursive: true });
  writeFileSync(join(project, 'servers', 'images', 'Dockerfile'), 'FROM public.ecr.aws/docker/library/node:22-slim\n');
  const pools = fleet.pools.map((p) => ('build' in p && typeof p.build === 'object' && p.build ? { ...p, build: { ...p.build, directory: join(project, p.build.directory) } } : p));
  return { ...fleet, pools } as FleetSpec;
}

const config = new pulumi.Config();
export const fleet = new McpFleet('agents', { spec: inUserProject(spec), certificateArn: config.require('certificateArn') });
