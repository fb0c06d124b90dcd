/**
 * What the gateway Lambda bundle holds in place of ioredis's Redis Cluster client (`ioredis/built/cluster`,
 * about 34 KiB minified; see scripts/build.mjs). The gateway never makes one: its session store and
 * rate limits use one Redis/Valkey endpoint (`createRedisClient`). ioredis only re-exports the class
 * (`Redis.Cluster`, `Cluster`), so this stands in for it and fails clearly if anything constructs it.
 */
'use strict';

class Cluster {
  constructor() {
    throw new Error('ioredis Cluster is not part of the mcp-fleet gateway Lambda bundle: the gateway connects to one Redis endpoint');
  }
}

exports.default = Cluster;
