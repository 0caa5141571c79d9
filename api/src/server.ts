/**
 * Starts the GL service: `npm run api`. Reads core/config.ts, listens on GL_API_PORT and closes
 * gracefully on SIGTERM/SIGINT (open streams are ended, in-flight requests finish).
 */
import { loadConfig } from '../../core/config.ts';
import { buildServer, loggerOptions } from './build.ts';
import { optionsFromConfig } from './options.ts';

const GRACE_MS = 10_000;

async function main() {
  const config = loadConfig();
  const app = await buildServer(optionsFromConfig(config.gl, config.api), loggerOptions(config.logLevel));

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      app.log.error('graceful shutdown timed out');
      process.exit(1);
    }, GRACE_MS);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error({ err }, 'error while closing');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));

  await app.listen({ port: config.gl.port, host: config.gl.host });
  app.log.info({ wells: config.gl.wells, asOf: config.gl.asOf, seed: config.gl.seed }, 'GL service ready');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
