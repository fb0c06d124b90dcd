/** Spec → cloud-neutral settings shared by `constructs/` (CDK) and `pulumi/`. Pure: no CDK, no Pulumi. */
export * from './errors';
export * from './names';
export * from './direct-auth';
export * from './listener-rules';
export * from './pools';
export * from './firewall';
export * from './gateway';
export * from './gateway-service';
export * from './session-store';
export * from './load-balancer';
export * from './security';
export * from './fleet';
export * from './monitoring-metrics';
export * from './monitoring';
export * from './monitoring-dimensions';
export * from './pool-metrics';
export * from './global-routing';
