/* global process */
// Generator processes start without the parent's TypeScript loader; register tsx, then load the
// generator's real (TypeScript) entry point, given as the first argument.
import { register } from 'tsx/esm/api';

register();
await import(process.argv[2]);
