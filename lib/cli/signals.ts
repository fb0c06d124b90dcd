/** Waiting for Ctrl-C or SIGTERM, the way long-running commands stop. */

/**
 * Resolves with the first SIGINT or SIGTERM. A second one while the command is still stopping
 * exits at once with status 1.
 */
export function untilShutdownSignal(onSecond: (signal: NodeJS.Signals) => void = () => process.exit(1)): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const handler = (signal: NodeJS.Signals) => {
      if (received) return onSecond(signal);
      received = true;
      resolve(signal);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}
