/**
 * Jala runs its TypeScript through tsx; a worker thread starts without it. This starts a worker
 * that registers tsx first and then loads the given module (a sibling .ts file's URL).
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startTypeScriptWorker(entry: URL, options: Pick<WorkerOptions, 'workerData' | 'transferList'> = {}): Worker {
  const require = createRequire(import.meta.url);
  const tsx = pathToFileURL(require.resolve('tsx/package.json').replace(/package\.json$/, 'dist/esm/api/index.mjs')).href;
  return new Worker(
    `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); });`,
    { eval: true, ...options },
  );
}
