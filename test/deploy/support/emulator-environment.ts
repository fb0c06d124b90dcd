/**
 * How every AWS caller in the deploy tests — the CDK CLI in a child process and the SDK clients in
 * the test — is pointed at the emulator and kept away from real AWS.
 */
import * as path from 'node:path';

/** The account moto answers for (its default, returned by STS GetCallerIdentity). */
export const EMULATOR_ACCOUNT = '123456789012';

/** The region the tests deploy to unless a stack names another. */
export const EMULATOR_REGION = 'us-east-1';

/** Dummy credentials: moto accepts any; real AWS would reject them. */
const DUMMY_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing', sessionToken: 'testing' };

/**
 * Environment for child processes (the CDK CLI and the app it synthesizes): the emulator endpoint
 * for every service, dummy credentials, no instance metadata, no shared config or profile that
 * could name a real account, no CLI telemetry.
 * @param endpoint the emulator endpoint, `http://localhost:<port>`.
 * @param scratchDir a directory of the test's own, where the (absent) shared config files would be.
 */
export function emulatorProcessEnv(endpoint: string, scratchDir: string): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_') && !name.startsWith('CDK_')));
  return {
    ...inherited,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: DUMMY_CREDENTIALS.sessionToken,
    AWS_REGION: EMULATOR_REGION,
    AWS_DEFAULT_REGION: EMULATOR_REGION,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: path.join(scratchDir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(scratchDir, 'no-aws-credentials'),
    CDK_DISABLE_CLI_TELEMETRY: 'true',
  };
}

/** Configuration for an AWS SDK v3 client that talks to the emulator only. */
export interface EmulatorClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: typeof DUMMY_CREDENTIALS;
  readonly maxAttempts: number;
}

/**
 * Client configuration for the emulator, passed explicitly so that nothing is read from the test
 * process's environment or shared config.
 * @param endpoint the emulator endpoint, `http://localhost:<port>`.
 * @param region @default EMULATOR_REGION
 */
export function emulatorClientConfig(endpoint: string, region: string = EMULATOR_REGION): EmulatorClientConfig {
  return { endpoint, region, credentials: DUMMY_CREDENTIALS, maxAttempts: 2 };
}
