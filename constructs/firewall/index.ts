export * from './firewall';
export * from './rules';
