import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { synthExampleApp } from './support';

describe('synthesis determinism', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  test('GIVEN the example app WHEN synthesized twice THEN the templates are byte-identical', () => {
    const templates = () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'mcp-fleet-synth-'));
      dirs.push(dir);
      const assembly = synthExampleApp(dir);
      return Object.fromEntries(assembly.stacks.map((s) => [s.stackName, readFileSync(s.templateFullPath)]));
    };
    const first = templates();
    const second = templates();
    expect(Object.keys(first).length).toBeGreaterThan(0);
    expect(Object.keys(second)).toEqual(Object.keys(first));
    for (const name of Object.keys(first)) expect(second[name]!.equals(first[name]!)).toBe(true);
  });
});
