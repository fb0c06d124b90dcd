/**
 * A CDK or Pulumi user's install stays lean: the package depends on no MCP SDK, web framework, Redis
 * client or logger (the CLI and the Lambda are self-contained bundles), and loading the library entry
 * points never reaches for one — checked in a fresh process that refuses to load them.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const PKG = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; peerDependenciesMeta: Record<string, { optional?: boolean }> };
/** What only the bundles (CLI, Lambda) and the optional gateway API use. */
const HEAVY = [
  '@modelcontextprotocol/sdk',
  '@modelcontextprotocol/client',
  '@modelcontextprotocol/server',
  '@modelcontextprotocol/node',
  'hono',
  'express',
  'ioredis',
  '@aws-lambda-powertools/logger',
  '@aws-sdk/',
];

describe('lean installs', () => {
  test('GIVEN package.json THEN its dependencies are only what the spec and identity checks need, and the gateway API peers are optional', () => {
    expect(Object.keys(PKG.dependencies).sort()).toEqual(['jose', 'zod']);
    expect(PKG.peerDependenciesMeta['ioredis']).toEqual({ optional: true });
    expect(PKG.peerDependenciesMeta['@aws-lambda-powertools/logger']).toEqual({ optional: true });
  });

  test('GIVEN the built entry points mcp-fleet, /cdk, /pulumi and /testing WHEN loaded THEN none of them loads a bundled-only package', () => {
    // A fresh process whose module loader throws on any heavy package, then loads each entry point.
    const script = `
      const Module = require('node:module');
      const heavy = ${JSON.stringify(HEAVY)};
      const load = Module._load;
      Module._load = function (request, parent, isMain) {
        if (heavy.some((h) => request === h || request.startsWith(h.endsWith('/') ? h : h + '/'))) throw new Error('loaded ' + request + ' from ' + (parent && parent.filename));
        return load.apply(this, arguments);
      };
      for (const entry of ['mcp-fleet', 'mcp-fleet/cdk', 'mcp-fleet/pulumi', 'mcp-fleet/testing']) require(entry);
      process.stdout.write('ok');
    `;
    expect(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' })).toBe('ok');
  });
});
