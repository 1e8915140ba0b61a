// Ports for servers a test starts as child processes, without the free-port-then-spawn race (a
// port found free, closed, then handed to a child: meanwhile the kernel may give it to another
// test's bind(0), and the child fails to start or, worse, the test talks to the other server).
// - listeningPort: the child binds port 0 and we read the port it got from /proc (for servers
//   that do not say it: Athens and goproxy log the address as configured, verdaccio too).
// - unassignablePort: for a child that must be told its port in advance, one below the
//   kernel's ephemeral range, which bind(0) never hands out.
// Linux only, as the tests' CI (ubuntu-latest).
import { readdir, readFile, readlink } from 'node:fs/promises';
import { createServer } from 'node:net';

/** Socket inodes a process holds open. */
async function socketInodes(pid: number): Promise<Set<string>> {
  const inodes = new Set<string>();
  let fds: string[];
  try {
    fds = await readdir(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) inodes.add(inode);
  }
  return inodes;
}

/** TCP ports on 127.0.0.1 in LISTEN state, by socket inode, in the process's network namespace. */
async function loopbackListeners(pid: number): Promise<Map<string, number>> {
  const byInode = new Map<string, number>();
  const text = await readFile(`/proc/${pid}/net/tcp`, 'utf8').catch(() => '');
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
    const [local, state, inode] = [fields[1], fields[3], fields[9]];
    if (!local || state !== '0A' || !inode) continue;
    const [address, port] = local.split(':');
    if (address === '0100007F' && port) byInode.set(inode, Number.parseInt(port, 16));
  }
  return byInode;
}

/**
 * The port a child bound on 127.0.0.1 (started with port 0), once it listens. Throws when the
 * child exits first or nothing listens within timeoutMs; the caller stops the child then.
 */
export async function listeningPort(
  pid: number,
  options: { hasExited: () => boolean; log: () => string; timeoutMs?: number },
): Promise<number> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (options.hasExited()) throw new Error(`the server exited before it listened:\n${options.log()}`);
    const inodes = await socketInodes(pid);
    const ports = [...(await loopbackListeners(pid))]
      .filter(([inode]) => inodes.has(inode))
      .map(([, p]) => p);
    if (ports.length === 1) return ports[0]!;
    if (ports.length > 1)
      throw new Error(`the server listens on several ports (${ports.join(', ')}): cannot tell which`);
    if (Date.now() > deadline)
      throw new Error(
        `the server did not listen on 127.0.0.1 within ${options.timeoutMs ?? 60_000} ms:\n${options.log()}`,
      );
    await new Promise((done) => setTimeout(done, 50));
  }
}

/** The kernel's ephemeral range (bind(0) picks from it); the usual Linux one if unreadable. */
async function ephemeralRange(): Promise<[number, number]> {
  const text = await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').catch(() => '');
  const [low, high] = text.trim().split(/\s+/).map(Number);
  return low && high ? [low, high] : [32768, 60999];
}

async function isFree(port: number): Promise<boolean> {
  const server = createServer();
  return await new Promise<boolean>((done) => {
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

/**
 * A free port on 127.0.0.1 below the ephemeral range, for a child that must know its port
 * before it starts: no bind(0) of another test can be given it in the meantime (only another
 * explicit pick of the same random port could, hence the caller's retry still matters).
 */
export async function unassignablePort(): Promise<number> {
  const [low] = await ephemeralRange();
  const floor = Math.max(1024, low - 12_000);
  for (let tries = 0; tries < 100; tries++) {
    const port = floor + Math.floor(Math.random() * (low - floor));
    if (await isFree(port)) return port;
  }
  throw new Error(`no free port found in ${floor}-${low - 1}`);
}
