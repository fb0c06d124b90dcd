export * from './jsonrpc';
export * from './versions';
export * from './classify';
export * from './envelope';
export * from './sse';
export * from './param-headers';
