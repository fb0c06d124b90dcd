/**
 * One emulated AWS account for a test file: a private moto server, the account fixtures a
 * deployment refers to, `cdk bootstrap` and `cdk deploy` with the pinned CLI, and cleanup.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runCdk, type CdkRun } from './cdk-cli';
import { DeployFailure, describeDeployFailure } from './deploy-diagnostics';
import { EMULATOR_ACCOUNT, EMULATOR_REGION, emulatorClientConfig, emulatorProcessEnv, type EmulatorClientConfig } from './emulator-environment';
import { MotoServer } from './moto-server';
import { listDeployedResources, findStackArtifact, type DeployedResource, type SynthesizedTemplate } from './stack-inventory';

/** The stack the bootstrap creates. */
const BOOTSTRAP_STACK = 'CDKToolkit';

/** What to synthesize: an app and its context. */
export interface SynthOptions {
  /** Directory holding the `cdk.json` to use; the CLI runs there. */
  readonly projectDir: string;
  /**
   * The app command, instead of the one in `cdk.json`.
   * @default the `app` of `projectDir/cdk.json`
   */
  readonly app?: string;
  /**
   * Context values passed with `-c key=value`.
   * @default {}
   */
  readonly context?: Readonly<Record<string, string>>;
  /**
   * Time limit of the CLI run.
   * @default 300_000 ms
   */
  readonly timeoutMs?: number;
}

/** Options for {@link EmulatorDeployment.deploy}. */
export interface DeployOptions extends SynthOptions {
  /** The stack to deploy (its CloudFormation name). */
  readonly stackName: string;
  /**
   * A cloud assembly from {@link EmulatorDeployment.synth} to deploy from, so that an app with several
   * stacks is synthesized once; `app` and `context` then do not apply.
   * @default - the CLI synthesizes the app
   */
  readonly assemblyDir?: string;
}

/** A stack that deployed, with both views of it. */
export interface DeployedStack {
  readonly stackName: string;
  /** The region the stack was deployed to. */
  readonly region: string;
  /** The template the CLI synthesized and deployed. */
  readonly template: SynthesizedTemplate;
  /** The cloud assembly the CLI wrote (template, staged assets). */
  readonly assemblyDir: string;
  /** What CloudFormation reports as created, by logical id. */
  readonly resources: ReadonlyMap<string, DeployedResource>;
  /** The `cdk deploy` run (output, duration). */
  readonly run: CdkRun;
}

export class EmulatorDeployment {
  /** Starts the emulator and makes a scratch directory for cloud assemblies. */
  public static async start(): Promise<EmulatorDeployment> {
    const scratchDir = await mkdtemp(path.join(tmpdir(), 'mcp-fleet-deploy-'));
    try {
      return new EmulatorDeployment(await MotoServer.start(), scratchDir);
    } catch (error) {
      await rm(scratchDir, { recursive: true, force: true });
      throw error;
    }
  }

  /** The account the emulator answers for. */
  public readonly account = EMULATOR_ACCOUNT;
  /** The region stacks without one of their own are deployed to. */
  public readonly region = EMULATOR_REGION;
  /** Configuration for SDK clients that talk to this emulator, in `region`. */
  public readonly clientConfig: EmulatorClientConfig;
  private readonly processEnv: NodeJS.ProcessEnv;
  /** Cloud assemblies synthesized so far (names their directories). */
  private assemblies = 0;

  private constructor(
    /** The moto server behind this account. */
    public readonly moto: MotoServer,
    private readonly scratchDir: string,
  ) {
    this.clientConfig = emulatorClientConfig(moto.endpoint);
    this.processEnv = emulatorProcessEnv(moto.endpoint, scratchDir);
  }

  /** Configuration for SDK clients that talk to this emulator in another region. */
  public clientConfigFor(region: string): EmulatorClientConfig {
    return emulatorClientConfig(this.moto.endpoint, region);
  }

  /**
   * `cdk bootstrap aws://<account>/<region>...`: the staging bucket, publishing roles and the
   * bootstrap version parameter that `cdk deploy` checks, in each region.
   * @param projectDir where the CLI runs (its `cdk.json` settings apply).
   * @param regions @default [this.region]
   */
  public async bootstrap(projectDir: string, regions: readonly string[] = [this.region]): Promise<CdkRun> {
    const environments = regions.map((region) => `aws://${this.account}/${region}`);
    const run = await runCdk(['bootstrap', ...environments], {
      cwd: projectDir,
      env: this.processEnv,
      timeoutMs: 120_000,
    });
    if (run.exitCode !== 0) {
      throw await describeDeployFailure(this.clientConfigFor(regions[0] ?? this.region), BOOTSTRAP_STACK, run, this.moto.log);
    }
    return run;
  }

  /**
   * `cdk synth` with context lookups disabled (the examples must synthesize from what is committed),
   * into a new directory under the scratch directory. Throws a {@link DeployFailure} with the CLI
   * output when synthesis fails.
   * @returns the cloud assembly directory, for {@link DeployOptions.assemblyDir}.
   */
  public async synth(options: SynthOptions): Promise<string> {
    const assemblyDir = path.join(this.scratchDir, `cdk.out.synth-${this.assemblies++}`);
    const run = await runCdk(['synth', ...appArgs(options), '--output', assemblyDir, '--no-lookups', '--quiet'], {
      cwd: options.projectDir,
      env: this.processEnv,
      timeoutMs: options.timeoutMs,
    });
    if (run.exitCode !== 0) throw await describeDeployFailure(this.clientConfig, undefined, run, this.moto.log);
    return assemblyDir;
  }

  /**
   * `cdk deploy <stack>` of the app (synthesized as in {@link synth}, the cloud assembly written to
   * the scratch directory, away from the project's `cdk.out`) or of an assembly `synth` made. Only
   * the named stack: the caller deploys dependencies first (the emulator cannot update a stack, and
   * the CLI would try when it includes them). Throws a {@link DeployFailure} that says why when the
   * deployment fails.
   */
  public async deploy(options: DeployOptions): Promise<DeployedStack> {
    const assemblyDir = options.assemblyDir ?? path.join(this.scratchDir, `cdk.out.${options.stackName}`);
    const source = options.assemblyDir ? ['--app', options.assemblyDir] : [...appArgs(options), '--output', assemblyDir, '--no-lookups'];
    const run = await runCdk(['deploy', options.stackName, ...source, '--require-approval', 'never', '--exclusively', '--progress', 'events'], {
      cwd: options.projectDir,
      env: this.processEnv,
      timeoutMs: options.timeoutMs,
    });
    // The synthesized stack names its region; without one (synthesis failed) the default is asked.
    const artifact = findStackArtifact(assemblyDir, options.stackName);
    const config = this.clientConfigFor(artifact?.region ?? this.region);
    if (run.exitCode !== 0 || artifact === undefined) {
      throw await describeDeployFailure(config, options.stackName, run, this.moto.log);
    }
    return {
      stackName: options.stackName,
      region: config.region,
      template: artifact.template,
      assemblyDir,
      resources: await listDeployedResources(config, options.stackName),
      run,
    };
  }

  /** Stops the emulator and removes the scratch directory. Safe to call after a failed start step. */
  public async stop(): Promise<void> {
    await this.moto.stop();
    await rm(this.scratchDir, { recursive: true, force: true });
  }
}

/** `--app` and `-c key=value` arguments of a synthesis. */
function appArgs(options: SynthOptions): string[] {
  return [...(options.app ? ['--app', options.app] : []), ...Object.entries(options.context ?? {}).flatMap(([key, value]) => ['-c', `${key}=${value}`])];
}
