/**
 * A Jala on the sample consortium with its catalog server listening on 127.0.0.1 (a free port):
 * SRU at /sru, OAI-PMH at /oai, /health; optionally simple2zoom for Z39.50 in front of it.
 */
import { startCatalogListener, type CatalogListener } from '../../adapters/http/catalog-listener.ts';
import type { Jala } from '../../src/app/create-jala.ts';
import { createJala } from '../../src/app/create-jala.ts';
import { sampleDataDir } from './sample-jala.ts';
import { freePort } from './oai-peer.ts';

export interface SampleServer {
  jala: Jala;
  listener: CatalogListener;
  dataDir: string;
  configPath: string;
  /** http://127.0.0.1:port */
  base: string;
  stop(): Promise<void>;
}

export async function startSampleServer(
  override: (config: Record<string, unknown>) => void = () => {},
  opts: { z3950?: boolean; log?: (line: string) => void } = {},
): Promise<SampleServer> {
  const { dataDir, configPath } = sampleDataDir(override, { prefix: 'jala-server-' });
  const jala = await createJala({ dataDir, configPath, ingestMissing: true });
  return listen(jala, dataDir, configPath, opts);
}

/** The catalog server of an existing data directory (a restart). */
export async function restartSampleServer(dataDir: string, configPath: string, opts: { log?: (line: string) => void } = {}): Promise<SampleServer> {
  const jala = await createJala({ dataDir, configPath });
  return listen(jala, dataDir, configPath, opts);
}

async function listen(jala: Jala, dataDir: string, configPath: string, opts: { z3950?: boolean; log?: (line: string) => void }): Promise<SampleServer> {
  const listener = await startCatalogListener(jala, {
    port: 0,
    host: '127.0.0.1',
    ...(opts.z3950 ? { z3950Port: await freePort() } : {}),
    log: opts.log ?? (() => {}),
  });
  return {
    jala,
    listener,
    dataDir,
    configPath,
    base: listener.url,
    stop: async () => {
      await listener.stop();
      jala.close();
    },
  };
}
