/** Errors of the bridge runtime. */

/** The bridge cannot do what was asked: a server process that will not start or died mid-request. */
export class BridgeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BridgeError';
  }
}
