/**
 * Jest test sequencer: the longest suites start first, so no worker is left running one alone at the
 * end of the run. Jest's own sequencer orders by the durations in its cache and, without them (a fresh
 * clone, CI), by file size — which put the small-file, long-running suites (cfn-lint, the example app's
 * syntheses, the Pulumi README example) last on 2 cores and left the run waiting on them for a minute.
 * Durations from jest's cache win; suites without one take theirs from slow-suites.json (seconds
 * measured on the 2-core machine; only the order matters), anything else counts as one second.
 */
const path = require('node:path');
const Sequencer = require(require.resolve('@jest/test-sequencer', { paths: [path.dirname(require.resolve('jest'))] })).default;
const SLOW = require('./slow-suites.json');

const ROOT = path.resolve(__dirname, '..', '..');

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const known = (test) => this.time(test) ?? SLOW[path.relative(ROOT, test.path).split(path.sep).join('/')] ?? 1;
    for (const test of tests) test.duration = this.time(test); // as jest's own sort does (its run-in-band choice reads it)
    const duration = new Map(tests.map((test) => [test, known(test)]));
    return [...tests].sort((a, b) => {
      const failedA = this.hasFailed(a);
      if (failedA !== this.hasFailed(b)) return failedA ? -1 : 1;
      return duration.get(b) - duration.get(a);
    });
  }
}

module.exports = SlowFirstSequencer;
