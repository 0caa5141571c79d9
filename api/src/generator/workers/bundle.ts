import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, stop } from 'esbuild';

const ENTRY = fileURLToPath(new URL('./day-worker.ts', import.meta.url));

/** A generator process's code as one JavaScript file, and how to remove it. */
export interface GeneratorScript {
  file: string;
  remove(): Promise<void>;
}

/** Bundles in progress in this process: esbuild's service is stopped when the last one ends. */
let building = 0;

/**
 * Bundles the generator process (day-worker.ts and everything it imports) with esbuild into a
 * fresh folder of its own, so generators run on plain node: a TypeScript loader (tsx) in each
 * generator cost ~40 MB of RSS and ~1 s of start-up per process (ADR 36). esbuild is stopped after
 * the build, so its service process does not stay in the service's tree; it restarts on next use.
 */
export async function bundleGenerator(): Promise<GeneratorScript> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gl-generator-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  const file = path.join(dir, 'day-worker.mjs');
  building++;
  try {
    await build({
      entryPoints: [ENTRY],
      outfile: file,
      bundle: true,
      platform: 'node',
      format: 'esm',
      logLevel: 'silent',
    });
    return { file, remove };
  } catch (err) {
    await remove();
    throw err;
  } finally {
    if (--building === 0) await stop();
  }
}
