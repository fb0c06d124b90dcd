/** Help texts, one per command. */

export const USAGE: Readonly<Record<string, string>> = {
  main: `Usage: mcp-fleet <command> [options]

Commands:
  gateway    Serve the MCP gateway in front of running pools
  dev        Start the example pools and the gateway on loopback
  validate   Check a fleet spec file and print every problem

Run "mcp-fleet <command> --help" for a command's options, "mcp-fleet --version" for the version.`,
  gateway: `Usage: mcp-fleet gateway --port N [--host 127.0.0.1] [--config fleet.json] [--pool NAME=URL ...]
                         [--redis URL] [--region R] [--metrics] [--drain-seconds S]
       mcp-fleet gateway --port N --host H --from-env [--metrics] [--drain-seconds S]

Serves the gateway at the spec's MCP path (default /mcp) and /health.
  --port N          TCP port (0 picks a free one)
  --host H          interface to bind (default 127.0.0.1)
  --config FILE     fleet spec (JSON); every pool needs a --pool URL
  --pool NAME=URL   where pool NAME's MCP endpoint is; without --config, each --pool is a
                    discovery-only pool whose tools and protocol era are found by asking it
  --redis URL       redis:// or rediss:// session store shared by gateway instances
                    (default: in-memory, this process only)
  --region R        region name in session ids and store keys (default local)
  --from-env        take the spec, pool URLs, store, region, public URL and secrets from the
                    MCP_FLEET_* environment the IaC gives the gateway service (see README)
  --metrics         write EMF metric lines on a terminal too (elsewhere they are always written)
  --drain-seconds S on SIGTERM: stop accepting, close listening streams with a reconnect hint,
                    let calls in flight finish for up to S seconds (0-120, default 10), then end
                    the rest with a final JSON-RPC error event

On a terminal, each request is logged as one line (time, method, tool, pools, status, ms).

A spec with auth.apiKeys reads its keys document from the file named by MCP_FLEET_API_KEYS_FILE;
one with auth.jwt needs a fixed --port (its 401 challenge names the gateway URL).`,
  dev: `Usage: mcp-fleet dev [--config fleet.json] [--port N] [--host 127.0.0.1] [--pool NAME=URL ...] [--metrics]

Starts the example pool servers (github, slack, images) and the gateway, prints the MCP URL and
runs until Ctrl-C (or SIGTERM). The default fleet is examples/fleet.json. On a terminal, each
request is logged as one line (time, method, tool, pools, status, ms).
  --config FILE     fleet spec; pools named github, slack or images run the example servers
  --port N          gateway port (default 0: a free port)
  --host H          interface to bind (default 127.0.0.1)
  --pool NAME=URL   use a running server for pool NAME instead of an example
  --metrics         also write the EMF metric lines (always written when stdout is not a terminal)`,
  validate: `Usage: mcp-fleet validate FILE

Prints every problem of the fleet spec in FILE as "path: message". Exit status 1 if any.`,
};
