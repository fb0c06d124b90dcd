export * from './cdk-cli';
export * from './deploy-diagnostics';
export * from './emulator-coverage';
export * from './emulator-deployment';
export * from './emulator-environment';
export * from './emulator-fixtures';
export * from './moto-server';
export * from './stack-inventory';
