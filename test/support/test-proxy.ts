// Starts our proxy in-process for a test, with explicit settings (never the machine's).
import { join } from 'node:path';
import { createProxy, type ProxySettings, type RunningProxy } from '../../src/proxy/create-proxy.ts';
import { makeTempDir } from './go-env.ts';

export type TestProxyOptions = Partial<ProxySettings> & { upstream: string };

export async function startTestProxy(
  options: TestProxyOptions,
): Promise<RunningProxy & { storeDir: string }> {
  const storeDir = options.storeDir ?? join(makeTempDir('store'), 'store');
  const proxy = await createProxy(
    {
      privatePatterns: [],
      noSumPatterns: [],
      gosumdb: 'off',
      goSumFiles: [],
      env: { PATH: process.env.PATH ?? '', HOME: makeTempDir('home'), GOENV: 'off', GOTOOLCHAIN: 'local' },
      http: { attempts: 2, backoffMs: () => 20, maxBackoffMs: 50, timeoutMs: 5_000 },
      ...options,
      storeDir,
    },
    '127.0.0.1',
    0,
  );
  return { ...proxy, storeDir };
}
