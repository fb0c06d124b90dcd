/**
 * Preloaded (`node --require`) into server-everything's own HTTP mode, which listens on every
 * interface: binds its server to 127.0.0.1 instead, so the benchmark never opens a port to the network.
 */
'use strict';
const net = require('node:net');

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' || typeof args[0] === 'string') {
    const callback = typeof args[args.length - 1] === 'function' ? args[args.length - 1] : undefined;
    return listen.call(this, Number(args[0]), '127.0.0.1', callback);
  }
  return listen.apply(this, args);
};
