// `goproxy-action serve` without the command table: the CLI loads this module directly for
// serve, and the build bundles it on its own (dist/serve.js), so the proxy's start-up loads
// a few files instead of the chunks it shares with every other command (each file costs
// Node's ES module loader a resolve, a read and a compile: ~20 ms before ready on 28 files).
import { runCommand } from './run-command.ts';
import { serveCommand } from './serve-command.ts';

export { serveCommand };

export function runServe(args: string[]): Promise<number> {
  return runCommand('serve', async () => serveCommand, args);
}
