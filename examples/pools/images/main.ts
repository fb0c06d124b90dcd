/** `PORT=8080 HOST=0.0.0.0 node main.js`: the images pool as a process (see examples/pools/README.md). */
import { runPoolMain } from '../shared';
import { startImagesPool } from './server';

runPoolMain('images', startImagesPool);
