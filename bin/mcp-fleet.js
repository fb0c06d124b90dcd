#!/usr/bin/env node
// The CLI is one bundled file (npm run build writes it): loading one file is faster than resolving
// the compiled tree module by module.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const bundle = path.join(__dirname, '..', 'dist', 'cli', 'mcp-fleet.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write(`mcp-fleet: ${bundle} is missing; run \`npm run build\` in the mcp-fleet package.\n`);
  process.exit(1);
}
require(bundle).runAsProcess();
