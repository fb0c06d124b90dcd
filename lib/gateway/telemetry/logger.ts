/**
 * Structured JSON logs (Powertools Logger) behind a small interface, so the core does not depend on
 * Powertools. Request-scoped loggers merge their fields (request id, pool…) into every line; they are
 * plain objects, cheap enough to make per request, and safe under concurrency (no shared mutable keys).
 */
import { Logger } from '@aws-lambda-powertools/logger';

/** Extra fields of a log line. An `error` field holding an Error is logged with name, message, stack and cause. */
export type LogFields = Readonly<Record<string, unknown>>;

/** Structurally a `GatewayLogger` of the core, so `telemetry.log` can be passed as `createGateway({ logger })`. */
export interface StructuredLogger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. `{ requestId }`). */
  child(fields: LogFields): StructuredLogger;
}

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';

export interface StructuredLoggerOptions {
  /** Fleet name, on every line. */
  readonly fleet: string;
  /**
   * Lowest level written.
   * @default - `POWERTOOLS_LOG_LEVEL` or `LOG_LEVEL` from the environment, else 'INFO'
   */
  readonly level?: LogLevel;
  /**
   * `service` field of every line.
   * @default 'mcp-fleet-gateway'
   */
  readonly serviceName?: string;
}

class FieldsLogger implements StructuredLogger {
  constructor(
    private readonly base: Logger,
    private readonly fields: LogFields,
  ) {}

  debug(message: string, fields?: LogFields): void {
    this.base.debug(message, this.merge(fields));
  }
  info(message: string, fields?: LogFields): void {
    this.base.info(message, this.merge(fields));
  }
  warn(message: string, fields?: LogFields): void {
    this.base.warn(message, this.merge(fields));
  }
  error(message: string, fields?: LogFields): void {
    this.base.error(message, this.merge(fields));
  }
  child(fields: LogFields): StructuredLogger {
    return new FieldsLogger(this.base, { ...this.fields, ...fields });
  }

  private merge(fields: LogFields | undefined): Record<string, unknown> {
    return fields ? { ...this.fields, ...fields } : { ...this.fields };
  }
}

export function createStructuredLogger(options: StructuredLoggerOptions): StructuredLogger {
  const base = new Logger({
    serviceName: options.serviceName ?? 'mcp-fleet-gateway',
    ...(options.level ? { logLevel: options.level } : {}),
    persistentKeys: { fleet: options.fleet },
  });
  return new FieldsLogger(base, {});
}
