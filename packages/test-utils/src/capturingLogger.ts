import {
  coreServices,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';

/** One record of {@link capturingRootLogger}. @public */
export interface LogRecord {
  level: string;
  message: string;
  meta: Record<string, unknown>;
}

/**
 * A root logger that keeps every record (of every plugin and module), for assertions
 * such as "no password in any log".
 *
 * @public
 */
export function capturingRootLogger() {
  const records: LogRecord[] = [];
  const make = (base: Record<string, unknown>): LoggerService => {
    const log = (level: string) => (message: string, meta?: Error | object) =>
      records.push({
        level,
        message,
        meta: { ...base, ...(meta instanceof Error ? { error: meta } : meta) },
      });
    return {
      error: log('error'),
      warn: log('warn'),
      info: log('info'),
      debug: log('debug'),
      child: meta => make({ ...base, ...meta }),
    };
  };
  const logger = make({});
  return {
    records,
    logger,
    /** Every record as text, errors with their messages and stacks. */
    text: () =>
      JSON.stringify(records, (_key, value) =>
        value instanceof Error
          ? { name: value.name, message: value.message, stack: value.stack }
          : value,
      ),
    factory: createServiceFactory({
      service: coreServices.rootLogger,
      deps: {},
      factory: () => logger,
    }),
  };
}
