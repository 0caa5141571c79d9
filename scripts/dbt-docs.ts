/**
 * The dbt documentation site as one self-contained file, `dbt/target/static_index.html`, which
 * opens straight from disk (the default index.html fetches manifest.json, which file:// forbids).
 * run.sh calls it after `pipeline run`, whose builds write to per-run target folders: this only
 * compiles and reads the catalog (no model is rebuilt), then checks every model and column is
 * described, and exits 1 when one is not.
 */
import path from 'node:path';
import { loadConfig } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { resolveDatabaseUrl } from '../database/src/connection.ts';
import { runDbt, DBT_PROJECT_DIR } from '../orchestration/src/transform/dbt.ts';
import { checkDocs, formatDocsProblems } from '../orchestration/src/transform/docs-check.ts';

const config = loadConfig();
const log = createLogger('dbt-docs', {}, 2);
const targetPath = path.join(DBT_PROJECT_DIR, 'target');
const databaseUrl = await resolveDatabaseUrl(log, config);
const result = await runDbt({ databaseUrl, args: ['docs', 'generate', '--static'], targetPath, log });
if (result.exitCode !== 0) {
  log.error(`dbt docs generate failed:\n${result.output.split('\n').slice(-15).join('\n')}`);
  process.exit(1);
}
const problems = await checkDocs(targetPath, { requireCatalog: true });
if (problems.length) {
  log.error(`dbt docs: ${problems.length} undocumented:\n${formatDocsProblems(problems)}`);
  process.exit(1);
}
const site = path.join(targetPath, 'static_index.html');
log.info({ site }, `dbt docs: every model and column described; open ${path.relative(process.cwd(), site)}`);
process.exit(0);
