/** Help texts, one per command. */

export const USAGE: Readonly<Record<string, string>> = {
  main: `Usage: mcp-fleet <command> [options]

Commands:
  gateway    Serve the MCP gateway in front of running pools
  dev        Start the example pools and the gateway on loopback
  validate   Check a fleet spec file and print every problem

Run "mcp-fleet <command> --help" for a command's options.`,
  gateway: `Usage: mcp-fleet gateway --port N [--host 127.0.0.1] [--config fleet.json] [--pool NAME=URL ...]
                         [--redis URL] [--region R]

Serves the gateway at the spec's MCP path (default /mcp) and /health.
  --port N          TCP port (0 picks a free one)
  --host H          interface to bind (default 127.0.0.1)
  --config FILE     fleet spec (JSON); every pool needs a --pool URL
  --pool NAME=URL   where pool NAME's MCP endpoint is; without --config, each --pool is a
                    discovery-only pool whose tools and protocol era are found by asking it
  --redis URL       redis:// or rediss:// session store shared by gateway instances
                    (default: in-memory, this process only)
  --region R        region name in session ids and store keys (default local)

A spec with auth.apiKeys reads its keys document from the file named by MCP_FLEET_API_KEYS_FILE;
one with auth.jwt needs a fixed --port (its 401 challenge names the gateway URL).`,
  dev: `Usage: mcp-fleet dev [--config fleet.json] [--port N] [--host 127.0.0.1] [--pool NAME=URL ...]

Starts the example pool servers (github, slack, images) and the gateway, prints the MCP URL and
runs until Ctrl-C. The default fleet is examples/fleet.json.
  --config FILE     fleet spec; pools named github, slack or images run the example servers
  --port N          gateway port (default 0: a free port)
  --host H          interface to bind (default 127.0.0.1)
  --pool NAME=URL   use a running server for pool NAME instead of an example`,
  validate: `Usage: mcp-fleet validate FILE

Prints every problem of the fleet spec in FILE as "path: message". Exit status 1 if any.`,
};
