/**
 * Every entry point of the package resolves to its types under each TypeScript module resolution a
 * user's project may use: `node16`/`nodenext`/`bundler` read `exports`, classic `node` (node10) reads
 * only `typesVersions`. Resolution runs against the built package (dist/), as an installed copy would.
 */
import { mkdtempSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');
const ENTRY_TYPES: Record<string, string> = {
  'mcp-fleet': 'dist/lib/index.d.ts',
  'mcp-fleet/gateway': 'dist/lib/gateway/index.d.ts',
  'mcp-fleet/cdk': 'dist/constructs/index.d.ts',
  'mcp-fleet/pulumi': 'dist/pulumi/index.d.ts',
  'mcp-fleet/testing': 'dist/lib/testing/index.d.ts',
};
const RESOLUTIONS: Array<[string, ts.CompilerOptions]> = [
  ['node (node10)', { moduleResolution: ts.ModuleResolutionKind.Node10, module: ts.ModuleKind.CommonJS }],
  ['node16', { moduleResolution: ts.ModuleResolutionKind.Node16, module: ts.ModuleKind.Node16 }],
  ['bundler', { moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext }],
];

describe('package entry points', () => {
  let project: string;
  beforeAll(() => {
    // A user's project with the package installed (a link to this checkout).
    project = mkdtempSync(path.join(tmpdir(), 'mcp-fleet-resolution-'));
    mkdirSync(path.join(project, 'node_modules'));
    symlinkSync(ROOT, path.join(project, 'node_modules', 'mcp-fleet'), 'dir');
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  test.each(RESOLUTIONS)('GIVEN moduleResolution %s WHEN a user imports each entry point THEN its declarations are found', (_, options) => {
    for (const [specifier, types] of Object.entries(ENTRY_TYPES)) {
      const { resolvedModule } = ts.resolveModuleName(specifier, path.join(project, 'index.ts'), options, ts.sys);
      expect({ specifier, file: resolvedModule && path.relative(ROOT, ts.sys.realpath!(resolvedModule.resolvedFileName)) }).toEqual({ specifier, file: types });
    }
  });
});
