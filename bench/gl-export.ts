/**
 * GL export throughput: starts the service in a child process on 127.0.0.1 (a free port), streams
 * a full year as NDJSON over HTTP and reports records/s and the server's peak RSS (VmHWM).
 * Usage: npm run bench -- gl-export [--wells N]   (default: GL_WELLS or 300)
 */
import { arg, peakRssMb, startGlService } from './support.ts';

const AS_OF = '2024-01-31';
const START = '2023-01-31';
const END = '2024-01-30';

const wells = arg('wells') ?? process.env.GL_WELLS ?? '300';
const { child, baseUrl: base } = await startGlService({ wells, asOf: AS_OF, stdout: 'inherit' });
try {
  const started = performance.now();
  const response = await fetch(`${base}/v1/gl/entries?start=${START}&end=${END}`, {
    headers: { accept: 'application/x-ndjson' },
  });
  if (!response.ok || !response.body) throw new Error(`export failed: ${response.status}`);
  let records = 0;
  let bytes = 0;
  for await (const chunk of response.body) {
    bytes += chunk.byteLength;
    const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let i = buffer.indexOf(10); i !== -1; i = buffer.indexOf(10, i + 1)) records++;
  }
  const seconds = (performance.now() - started) / 1000;
  const rss = peakRssMb(child.pid ?? 0);
  console.log(
    `wells ${wells}, ${START}..${END}: ${records} lines, ${(bytes / 1e6).toFixed(0)} MB in ${seconds.toFixed(1)} s`,
  );
  console.log(
    `gl-export: ${Math.round(records / seconds)} records/s, server peak RSS ${rss} MB (${records} records, GL_WELLS=${wells})`,
  );
} finally {
  child.kill('SIGTERM');
}
