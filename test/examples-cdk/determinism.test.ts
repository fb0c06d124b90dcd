import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { exampleAssembly, synthExampleApp } from './support';

describe('synthesis determinism', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  test('GIVEN the example app WHEN synthesized twice THEN the templates are byte-identical', () => {
    const templates = (assembly: CloudAssembly) => Object.fromEntries(assembly.stacks.map((s) => [s.stackName, readFileSync(s.templateFullPath)]));
    // The first synthesis is the run's shared one (often made by another worker process); the second is made here.
    const first = templates(exampleAssembly());
    const dir = mkdtempSync(path.join(tmpdir(), 'mcp-fleet-synth-'));
    dirs.push(dir);
    const second = templates(synthExampleApp(dir));
    expect(Object.keys(first).length).toBeGreaterThan(0);
    expect(Object.keys(second)).toEqual(Object.keys(first));
    for (const name of Object.keys(first)) expect(second[name]!.equals(first[name]!)).toBe(true);
  });
});
