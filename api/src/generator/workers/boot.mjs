// Worker threads start without the parent's TypeScript loader; register tsx, then load the
// worker's real (TypeScript) entry point given in workerData.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
