import { matchesPattern, patternsOverlap } from '../../lib/spec';

describe('tool patterns', () => {
  test.each([
    ['github_*', 'github_create_issue', true],
    ['github_*', 'gitlab_x', false],
    ['img_?', 'img_a', true],
    ['img_?', 'img_ab', false],
    ['a.b', 'axb', false],
  ])('%s matches %s: %s', (pattern, name, expected) => {
    expect(matchesPattern(name, pattern)).toBe(expected);
  });

  test.each([
    ['github_*', 'slack_*', false],
    ['github_*', '*_issue', true],
    ['*', 'anything', true],
    ['a?c', 'ab*', true],
    ['a?c', 'abd', false],
    ['*x*', '*y*', true],
    ['x*', '*y', true],
    ['x*z', 'y*', false],
  ])('%s overlaps %s: %s', (a, b, expected) => {
    expect(patternsOverlap(a, b)).toBe(expected);
    expect(patternsOverlap(b, a)).toBe(expected);
  });

  test('one rule everywhere: case never matters, as the ALB compares Mcp-Name', () => {
    expect(matchesPattern('Echo_Admin', 'echo_*')).toBe(true);
    expect(matchesPattern('ECHO_ADMIN', 'echo_admin')).toBe(true);
    expect(matchesPattern('echo_admin', 'ECHO_*')).toBe(true);
    expect(patternsOverlap('GitHub_*', 'github_x')).toBe(true);
  });
});
