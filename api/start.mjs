#!/usr/bin/env -S node --max-semi-space-size=4 --heap-growing-percent=10
/**
 * Starts the GL service from one JavaScript file: `api/start.mjs` is what `npm run api`, run.sh
 * and the image run. esbuild bundles src/server.ts and every source file it imports (not the
 * packages, which load from node_modules as usual) into a folder of node_modules/.cache, the
 * bundle is imported, and the folder is removed. Running the TypeScript through tsx instead cost
 * the service ~45 MB of RSS for the loader's thread and an esbuild service process of ~17 MB
 * (ADR 38); `node --import tsx api/src/server.ts` still works, for development.
 *
 * The first line runs node with a young generation of 4 MB semi-spaces (V8's default grows to 16)
 * and an old generation grown by 10% over what survives a collection: the service's own heap is a
 * few MB, and what it moves are buffers that a collection frees (ADR 38).
 */
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, stop } from 'esbuild';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const SERVER = path.join(ROOT, 'api/src/server.ts');

/**
 * Keeps `import.meta.url` of every bundled module its own source file's URL, so paths resolved from
 * it (the project root in core/config.ts, the generator's entry) are what they are under tsx.
 */
const moduleUrls = {
  name: 'module-urls',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async ({ path: file }) => ({
      contents: (await readFile(file, 'utf8')).replaceAll(
        'import.meta.url',
        JSON.stringify(pathToFileURL(file).href),
      ),
      loader: 'ts',
    }));
  },
};

// Inside node_modules, so the bundle's package imports resolve to the project's node_modules.
const cache = path.join(ROOT, 'node_modules/.cache');
const dir = await mkdir(cache, { recursive: true })
  .then(() => mkdtemp(path.join(cache, `gl-api-${process.pid}-`)))
  .catch((err) => {
    throw new Error(
      `the GL service bundles its sources into ${cache}, which must be writable: ${err.message}`,
    );
  });
const outfile = path.join(dir, 'server.mjs');
const remove = () => rmSync(dir, { recursive: true, force: true });
// the server ends with process.exit(), after which no finally block runs
process.once('exit', remove);
try {
  await build({
    entryPoints: [SERVER],
    outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    logLevel: 'silent',
    plugins: [moduleUrls],
  });
  // esbuild's service process would otherwise stay beside the service for its whole life
  await stop();
  await import(pathToFileURL(outfile).href);
} finally {
  remove();
}
