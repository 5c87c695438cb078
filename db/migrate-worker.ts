import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './client.js';

// Opens the embedded PGlite in `workerData.dir`, applies the migrations and closes it, off the main thread.
const database = await openDatabase({ dir: (workerData as { dir: string }).dir });
try {
  await database.migrate();
} finally {
  await database.close();
}
parentPort?.postMessage('migrated');
