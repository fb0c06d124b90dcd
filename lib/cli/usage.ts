/** Help texts, one per command. */

export const USAGE: Readonly<Record<string, string>> = {
  main: `Usage: mcp-fleet <command> [options]

Commands:
  gateway    Serve the MCP gateway in front of running pools
  dev        Start the example pools and the gateway on loopback
  worker     Run a queue pool's jobs against its MCP server
  validate   Check a fleet spec file and print every problem
  bridge     Serve a stdio MCP server over Streamable HTTP

Run "mcp-fleet <command> --help" for a command's options, "mcp-fleet --version" for the version.`,
  gateway: `Usage: mcp-fleet gateway --port N [--host 127.0.0.1] [--config fleet.json] [--pool NAME=URL ...]
                         [--redis URL] [--queue URL] [--region R] [--metrics] [--drain-seconds S]
       mcp-fleet gateway --port N --host H --from-env [--metrics]

Serves the gateway at the spec's MCP path (default /mcp) and /health.
  --port N          TCP port (0 picks a free one)
  --host H          interface to bind (default 127.0.0.1)
  --config FILE     fleet spec (JSON); every pool needs a --pool URL
  --pool NAME=URL   where pool NAME's MCP endpoint is; without --config, each --pool is a
                    discovery-only pool whose tools and protocol era are found by asking it
  --redis URL       redis:// or rediss:// session store shared by gateway instances
                    (default: in-memory, this process only)
  --queue URL       where calls of queue pools (kind "queue") become jobs: amqp://user:pass@host:5672
                    (RabbitMQ) or an SQS queue URL ({pool} stands for the pool's name); job state
                    goes to --redis (default $REDIS_URL or redis://127.0.0.1:6379)
  --region R        region name in session ids and store keys (default local)
  --from-env        take the spec, pool URLs, store, region, public URL and secrets from the
                    MCP_FLEET_* environment the IaC gives the gateway service (see README); the
                    drain is the spec's gateway.service.stopTimeoutSeconds less 5 s
  --metrics         write EMF metric lines on a terminal too (elsewhere they are always written)
  --drain-seconds S on SIGTERM: stop accepting, close listening streams with a reconnect hint,
                    let calls in flight finish for up to S seconds (0-120, default 10), then end
                    the rest with a final JSON-RPC error event

On a terminal, each request is logged as one line (time, method, tool, pools, status, ms).

A spec with auth.apiKeys reads its keys document from the file named by MCP_FLEET_API_KEYS_FILE;
one with auth.jwt needs a fixed --port (its 401 challenge names the gateway URL).`,
  dev: `Usage: mcp-fleet dev [--config fleet.json] [--port N] [--host 127.0.0.1] [--pool NAME=URL ...] [--queue URL] [--metrics]

Starts the example pool servers (github, slack, images) and the gateway, prints the MCP URL and
runs until Ctrl-C (or SIGTERM). The default fleet is examples/fleet.json. On a terminal, each
request is logged as one line (time, method, tool, pools, status, ms).
  --config FILE     fleet spec; pools named github, slack or images run the example servers
  --port N          gateway port (default 0: a free port)
  --host H          interface to bind (default 127.0.0.1)
  --pool NAME=URL   use a running server for pool NAME instead of an example
  --queue URL       broker for queue pools (kind "queue"), whose worker runs in this process
                    (default amqp://guest:guest@127.0.0.1:5672; job state in $REDIS_URL or
                    redis://127.0.0.1:6379). Start RabbitMQ with "sudo service rabbitmq-server start"
                    or "docker run -d -p 5672:5672 rabbitmq:3".
  --metrics         also write the EMF metric lines (always written when stdout is not a terminal)`,
  worker: `Usage: mcp-fleet worker --config fleet.json --pool NAME=URL --queue URL [--redis URL]
                        [--concurrency N] [--max-run-seconds S] [--lease-seconds S] [--max-receives N]
       mcp-fleet worker --from-env [--concurrency N] ...

Receives jobs of queue pool NAME, calls its MCP server at URL, stores progress and results in Redis
and deletes each message once its result is stored. SIGTERM/Ctrl-C: takes no new jobs, finishes the
running ones (up to the lease), gives back the rest.
  --config FILE         fleet spec (JSON) defining NAME as a queue pool (kind "queue")
  --pool NAME=URL       the queue pool and its MCP server's endpoint
  --queue URL           amqp://user:pass@host:5672[/vhost] (RabbitMQ; the queue is
                        mcp-fleet.<fleet>.<pool> with a dead-letter queue) or an SQS queue URL
  --redis URL           job store shared with the gateway (default $REDIS_URL or redis://127.0.0.1:6379)
  --concurrency N       jobs run at once (default: the pool's queue.workerConcurrency)
  --max-run-seconds S   longest run of one job (default: the pool's queue.maxRunSeconds)
  --lease-seconds S     how soon another worker takes over the job of a worker that died
                        (default 30, at most the pool's queue.visibilityTimeoutSeconds)
  --max-receives N      deliveries before the dead-letter queue (default: the pool's queue.maxReceives)

With MCP_FLEET_IDENTITY_KEY (the fleet key), each call carries the job caller's signed identity.
  --from-env            how the worker container runs on AWS: the spec (MCP_FLEET_SPEC), the pool
                        (MCP_FLEET_POOL), its server on loopback (MCP_FLEET_WORKER_SERVER_URL), its
                        queue (MCP_FLEET_WORKER_QUEUE_URL), the store (MCP_FLEET_REDIS_URL,
                        MCP_FLEET_REDIS_AUTH_TOKEN) and the pool's own identity key
                        (MCP_FLEET_WORKER_IDENTITY_KEY) come from the environment
Each worker lists its server's tools into the job store at start (and every minute), so the gateway
lists the pool's tools while no worker runs.
Locally: RabbitMQ at 127.0.0.1:5672 (guest/guest); start it with "sudo service rabbitmq-server start".`,
  validate: `Usage: mcp-fleet validate FILE

Prints every problem of the fleet spec in FILE as "path: message". Exit status 1 if any.`,
  bridge: `Usage: mcp-fleet bridge [--host 127.0.0.1] [--port 8080] [--children 4] [--max-sessions 32]
                        [--mcp-path /mcp] [--health-path /health] -- CMD ARGS...

Runs the stdio MCP server CMD ARGS... and serves it over Streamable HTTP, for 2025-era clients
(each session gets its own server process) and 2026-07-28 clients (a shared pool of processes).
  --host H             interface to bind (default 127.0.0.1; 0.0.0.0 in a container)
  --port N             TCP port (default 8080; 0 picks a free one)
  --children N         most pooled processes for stateless traffic (default 4)
  --max-sessions N     most 2025-era sessions, a process each (default 32; beyond: 503, Retry-After)
  --mcp-path P         MCP endpoint (default $MCP_FLEET_MCP_PATH or /mcp)
  --health-path P      deep health check: a ping through a process (default $MCP_FLEET_HEALTH_PATH or /health)

Logs are JSON lines on stdout (the server's stderr included, one line each). With MCP_FLEET_NAME and
MCP_FLEET_POOL set, the OpenConnections gauge is published every minute (CloudWatch EMF).
SIGTERM drains: no new requests, running ones finish, streams close, processes end.`,
};
