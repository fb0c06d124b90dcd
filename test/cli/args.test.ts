import { parseCommandLine } from '../../lib/cli/args';
import { UsageError } from '../../lib/cli/errors';

describe('parseCommandLine', () => {
  test('GIVEN every gateway flag WHEN parsed THEN each is typed and checked', () => {
    expect(
      parseCommandLine([
        'gateway',
        '--port',
        '8080',
        '--host',
        '0.0.0.0',
        '--config',
        'fleet.json',
        '--pool',
        'github=http://10.0.0.5:8080/mcp',
        '--pool',
        'slack=https://slack.internal/mcp',
        '--redis',
        'rediss://cache:6379',
        '--region',
        'eu-west-1',
        '--drain-seconds',
        '90',
      ]),
    ).toEqual({
      command: 'gateway',
      port: 8080,
      host: '0.0.0.0',
      config: 'fleet.json',
      pools: [
        { name: 'github', url: 'http://10.0.0.5:8080/mcp' },
        { name: 'slack', url: 'https://slack.internal/mcp' },
      ],
      redis: 'rediss://cache:6379',
      region: 'eu-west-1',
      metrics: false,
      drainSeconds: 90,
    });
    expect(parseCommandLine(['gateway', '--port', '0', '--config', 'f', '--metrics'])).toMatchObject({ metrics: true });
  });

  test('GIVEN dev without flags WHEN parsed THEN loopback, a free port and the built-in fleet', () => {
    expect(parseCommandLine(['dev'])).toEqual({ command: 'dev', port: 0, host: '127.0.0.1', pools: [], metrics: false });
  });

  test.each([
    [['gateway', '--pool', 'a=http://x/mcp'], /--port is required/],
    [['gateway', '--port', '80'], /give --config FILE, or at least one --pool/],
    [['gateway', '--port', '70000', '--config', 'f'], /--port must be an integer from 0 to 65535 \(got "70000"\)/],
    [['gateway', '--port', '-1', '--config', 'f'], /--port/],
    [['gateway', '--port', '1', '--pool', 'github'], /--pool expects NAME=URL/],
    [['gateway', '--port', '1', '--pool', 'Git=http://x'], /--pool expects NAME=URL with a pool name of lower-case/],
    [['gateway', '--port', '1', '--pool', 'a=ftp://x'], /--pool a: the URL must be http:\/\/ or https:\/\//],
    [['gateway', '--port', '1', '--pool', 'a=not a url'], /--pool a: "not a url" is not a URL/],
    [['gateway', '--port', '1', '--pool', 'a=http://x', '--pool', 'a=http://y'], /--pool a is given twice/],
    [['gateway', '--port', '1', '--config', 'f', '--redis', 'http://cache'], /--redis must be a redis:\/\/ or rediss:\/\/ URL/],
    [['gateway', '--port', '1', '--config', 'f', '--region', 'EU'], /--region must be/],
    [['gateway', '--port'], /argument missing/],
    [['gateway', '--port', '1', '--config', 'f', '--drain-seconds', '121'], /--drain-seconds must be an integer from 0 to 120 \(got "121"\)/],
    [['dev', '--prot', '1'], /Unknown option '--prot'/],
    [['validate'], /validate takes exactly one FILE \(got 0\)/],
    [['validate', 'a.json', 'b.json'], /got 2/],
    [['deploy'], /unknown command "deploy"/],
    [[], /no command given/],
    [['--version', 'x'], /--version takes no arguments \(got "x"\)/],
    [['worker', '--pool', 'a=http://x', '--queue', 'amqp://h'], /--config FILE is required/],
    [['worker', '--config', 'f', '--queue', 'amqp://h'], /give exactly one --pool NAME=URL: the queue pool and its MCP server \(got 0\)/],
    [['worker', '--config', 'f', '--pool', 'a=http://x'], /--queue is required/],
    [['worker', '--config', 'f', '--pool', 'a=http://x', '--queue', 'redis://h'], /--queue must be an amqp:\/\/, amqps:\/\/ or SQS https:\/\/ URL \(got redis:\/\/\)/],
    [['worker', '--config', 'f', '--pool', 'a=http://x', '--queue', 'amqp://h', '--concurrency', '0'], /--concurrency must be an integer from 1 to 1000 \(got "0"\)/],
  ])('GIVEN %p WHEN parsed THEN a usage error says what is wrong', (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(UsageError);
    expect(() => parseCommandLine(argv)).toThrow(message);
  });

  test('GIVEN every worker flag WHEN parsed THEN each is typed and checked', () => {
    expect(
      parseCommandLine([
        'worker',
        '--config',
        'fleet.json',
        '--pool',
        'images=http://127.0.0.1:8080/mcp',
        '--queue',
        'https://sqs.us-east-1.amazonaws.com/1/q',
        '--redis',
        'redis://r:6379',
        '--concurrency',
        '4',
        '--max-run-seconds',
        '60',
        '--lease-seconds',
        '10',
        '--max-receives',
        '5',
      ]),
    ).toEqual({
      command: 'worker',
      config: 'fleet.json',
      pool: { name: 'images', url: 'http://127.0.0.1:8080/mcp' },
      queue: 'https://sqs.us-east-1.amazonaws.com/1/q',
      redis: 'redis://r:6379',
      concurrency: 4,
      maxRunSeconds: 60,
      leaseSeconds: 10,
      maxReceives: 5,
    });
  });

  test.each([[['--version']], [['-v']], [['version']]])('GIVEN %p WHEN parsed THEN the version is asked for', (argv) => {
    expect(parseCommandLine(argv)).toEqual({ command: 'version' });
  });

  test.each([[['--help']], [['help', 'dev']], [['dev', '-h']]])('GIVEN %p WHEN parsed THEN help is asked for', (argv) => {
    expect(parseCommandLine(argv).command).toBe('help');
  });
});
