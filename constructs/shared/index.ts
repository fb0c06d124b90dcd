export * from './props';
export * from './log-group';
export * from './alb';
export * from './errors';
export * from './region';
export * from './ingress';
export * from './container';
export * from './fargate-service';
