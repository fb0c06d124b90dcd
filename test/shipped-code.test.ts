/**
 * Shipped code (lib/, constructs/, pulumi/) must not import examples/: the package does not ship it,
 * and the example pools reach `mcp-fleet dev` as a bundle loaded at run time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

test('GIVEN the shipped source WHEN its imports are read THEN none reaches into examples/', () => {
  const offenders = ['lib', 'constructs', 'pulumi']
    .flatMap((dir) => sourceFiles(join(ROOT, dir)))
    .filter((file) => /(?:from|import|require)\s*\(?\s*['"][^'"]*\/examples(?:\/|['"])/.test(readFileSync(file, 'utf8')))
    .map((file) => relative(ROOT, file));
  expect(offenders).toEqual([]);
});
