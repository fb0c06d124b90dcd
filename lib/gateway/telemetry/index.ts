export * from '../../spec/metric-names';
export * from './request-id';
export * from './logger';
export * from './call-metrics';
export * from './telemetry';
export * from './rejection-reason';
export * from './connection-gauge';
