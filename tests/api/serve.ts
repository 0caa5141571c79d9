/**
 * The GL service for external API testers (tests/api/schemathesis.sh): the real server built
 * from the environment, but with the rate limit raised, since a fuzzer sends thousands of
 * requests a minute and the limit itself is covered by auth.test.ts.
 */
import { loadConfig } from '../../core/config.ts';
import { buildServer, loggerOptions } from '../../api/src/build.ts';
import { optionsFromConfig } from '../../api/src/options.ts';

const config = loadConfig();
const app = await buildServer(
  { ...optionsFromConfig(config.gl, config.api), rateLimitMax: 1_000_000 },
  loggerOptions(config.logLevel),
);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
await app.listen({ port: config.gl.port, host: '127.0.0.1' });
