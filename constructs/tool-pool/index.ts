export * from './tool-pool';
