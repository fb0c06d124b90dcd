/**
 * Lifecycle of a private moto server (the local AWS API emulator) for one test file: started on a
 * free loopback port, waited for until it answers, its log kept for diagnosis, stopped in afterAll.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import * as path from 'node:path';

/** Options for {@link MotoServer.start}. */
export interface MotoServerOptions {
  /**
   * Command that runs the server; it gets moto_server's `-H <host> -p <port>` appended.
   * @default python3 test/deploy/emulator/moto_server_with_models.py (moto_server plus the
   * CloudFormation models the fleet stacks need, see that file)
   */
  readonly command?: readonly string[];
  /**
   * How long to wait for the server to answer after it was spawned.
   * @default 30_000 ms
   */
  readonly startTimeoutMs?: number;
}

const DEFAULT_COMMAND = ['python3', path.join(__dirname, '..', 'emulator', 'moto_server_with_models.py')];

/** Matches moto's warning for a resource type its CloudFormation does not create (parsing.py). */
const UNSUPPORTED_TYPE_LINE = /No Moto CloudFormation support for (\S+)/g;

/** How many times to retry when another process took the free port between probing and binding. */
const PORT_ATTEMPTS = 3;

export class MotoServer {
  /**
   * Starts the server on 127.0.0.1 and a free port, and resolves once it answers HTTP.
   * Requested ACM certificates are issued at once (`MOTO_ACM_VALIDATION_WAIT=0`), standing in for
   * DNS validation, which the emulator cannot observe.
   */
  public static async start(options: MotoServerOptions = {}): Promise<MotoServer> {
    const command = options.command ?? DEFAULT_COMMAND;
    const startTimeoutMs = options.startTimeoutMs ?? 30_000;
    let lastError: unknown;
    for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
      const port = await freeLoopbackPort();
      const server = new MotoServer(command, port);
      try {
        await server.waitUntilAnswering(startTimeoutMs);
        return server;
      } catch (error) {
        lastError = error;
        await server.stop();
      }
    }
    throw new Error(`moto server did not start after ${PORT_ATTEMPTS} attempts`, { cause: lastError });
  }

  /** Loopback port the server listens on. */
  public readonly port: number;
  private readonly process: ChildProcess;
  private readonly logChunks: string[] = [];
  private readonly exited: Promise<void>;
  private exitDescription: string | undefined;

  private constructor(command: readonly string[], port: number) {
    this.port = port;
    const [executable, ...args] = command;
    if (executable === undefined) throw new Error('MotoServer: the command is empty');
    // Its own process group, so stop() ends the server and anything it spawned, and nothing else.
    this.process = spawn(executable, [...args, '-H', '127.0.0.1', '-p', String(port)], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      // No .pyc files next to the emulator models in the work tree.
      env: { ...process.env, MOTO_ACM_VALIDATION_WAIT: '0', PYTHONDONTWRITEBYTECODE: '1' },
    });
    const keep = (chunk: Buffer): void => {
      this.logChunks.push(chunk.toString('utf8'));
    };
    this.process.stdout?.on('data', keep);
    this.process.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      this.process.once('error', (error) => {
        this.exitDescription = `could not run ${command.join(' ')}: ${error.message}`;
        resolve();
      });
      this.process.once('exit', (code, signal) => {
        this.exitDescription = `${command.join(' ')} exited (code ${code}, signal ${signal})`;
        resolve();
      });
    });
  }

  /**
   * Endpoint for `AWS_ENDPOINT_URL`. The host must be `localhost`: with `127.0.0.1`, moto's
   * CloudFormation cannot find the template the CDK CLI uploaded to the bootstrap bucket ("The
   * specified bucket does not exist").
   */
  public get endpoint(): string {
    return `http://localhost:${this.port}`;
  }

  /** Everything the server printed so far (requests and warnings). */
  public get log(): string {
    return this.logChunks.join('');
  }

  /** Resource types moto's CloudFormation skipped so far, from its "No Moto CloudFormation support" warnings. */
  public skippedResourceTypes(): Set<string> {
    return new Set([...this.log.matchAll(UNSUPPORTED_TYPE_LINE)].map((match) => match[1]!));
  }

  /** Ends the server's process group and waits for it to exit (SIGKILL after 5 s). Safe to call twice. */
  public async stop(): Promise<void> {
    if (this.exitDescription !== undefined) return;
    this.signalGroup('SIGTERM');
    const killLater = setTimeout(() => this.signalGroup('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(killLater);
  }

  private signalGroup(signal: NodeJS.Signals): void {
    if (this.process.pid === undefined) return;
    try {
      process.kill(-this.process.pid, signal);
    } catch {
      // The group is already gone.
    }
  }

  private async waitUntilAnswering(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exitDescription !== undefined) {
        throw new Error(`${this.exitDescription} before answering on port ${this.port}:\n${this.log}`);
      }
      try {
        const response = await fetch(`http://127.0.0.1:${this.port}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
        if (response.ok) return;
      } catch {
        // Not listening yet.
      }
      await delay(200);
    }
    throw new Error(`moto server on port ${this.port} did not answer within ${timeoutMs} ms:\n${this.log}`);
  }
}

/** A port that was free on 127.0.0.1 a moment ago (the OS picks it). */
async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not read the probe port'));
      });
    });
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
