// Worker entry in plain JS: a worker thread does not inherit tsx's loader, so it registers it, then loads the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./migrate-worker.ts');
