/** `PORT=8080 HOST=0.0.0.0 node main.js`: the github pool as a process (see examples/pools/README.md). */
import { runPoolMain } from '../shared';
import { startGithubPool } from './server';

runPoolMain('github', startGithubPool);
