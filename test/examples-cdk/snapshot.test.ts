import { readFileSync } from 'node:fs';
import { assetHashSerializer } from '../../lib/testing';
import { exampleAssembly } from './support';

expect.addSnapshotSerializer(assetHashSerializer);

describe('example app snapshot', () => {
  test('GIVEN the example app WHEN synthesized THEN each stack template matches its snapshot (asset hashes normalized)', () => {
    const assembly = exampleAssembly();
    for (const stack of assembly.stacks) {
      expect(JSON.parse(readFileSync(stack.templateFullPath, 'utf8'))).toMatchSnapshot(stack.stackName);
    }
  });
});
