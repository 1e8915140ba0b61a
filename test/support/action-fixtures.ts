// What the action's end-to-end tests start once per file: the bundled action (dist built from
// the working tree), the fixture modules served by an upstream proxy, and the cache-service
// stand-in. Hooks registered here, so each file says only which variables receive them.
import { after, before } from 'node:test';
import { buildActionBundles } from './action-runner.ts';
import { type CacheService, startCacheService } from './cache-service.ts';
import { type FixtureProxy, startFixtureProxy } from './fixture-proxy.ts';
import { createFixtureWorld, type FixtureWorld } from './fixture-world.ts';

export type ActionFixtures = {
  distDir: string;
  world: FixtureWorld;
  upstream: FixtureProxy;
  service: CacheService;
};

/**
 * Registers the `before` that starts them, then hands them to `receive` (awaited: a file's own
 * preparation goes there; as a second root `before` of the file, Node 24's runner ran it
 * before this one had finished), and the `after` that stops whatever part started.
 * `cacheService`: the stand-in's options (API tokens).
 */
export function useActionFixtures(
  receive: (fixtures: ActionFixtures) => void | Promise<void>,
  options: { cacheService?: Parameters<typeof startCacheService>[0] } = {},
): void {
  const started: Partial<ActionFixtures> = {};
  before(async () => {
    started.distDir = await buildActionBundles();
    started.world = await createFixtureWorld();
    started.upstream = await startFixtureProxy({ dir: started.world.dir });
    started.service = await startCacheService(options.cacheService);
    await receive(started as ActionFixtures);
  });
  after(async () => {
    await started.service?.close();
    await started.upstream?.close();
    await started.world?.remove();
  });
}
