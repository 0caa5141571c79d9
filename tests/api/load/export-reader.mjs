/* global process, console, fetch, performance */
// Reads an NDJSON export as fast as the socket allows and prints {status, bytes, ms} as JSON.
// Run by tests/api/export.test.ts in a process (and session) of its own: the client's work must
// not count against the service.
const started = performance.now();
const res = await fetch(process.argv[2], { headers: { accept: 'application/x-ndjson' } });
let bytes = 0;
for await (const chunk of res.body) bytes += chunk.byteLength;
console.log(JSON.stringify({ status: res.status, bytes, ms: Math.round(performance.now() - started) }));
