/** `PORT=8080 HOST=0.0.0.0 node main.js`: the slack pool as a process (see examples/pools/README.md). */
import { runPoolMain } from '../shared';
import { startSlackPool } from './server';

runPoolMain('slack', startSlackPool);
