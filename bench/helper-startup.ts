// What a GOCACHEPROG helper written for Node would cost per go command, run by hand:
//   node bench/helper-startup.ts [--runs 10]
// The go command starts the helper once per invocation and waits for its first message (the
// capabilities line) before it can look anything up. Times the start of a minimal Node program
// that writes that line and exits at end of input (the floor for a Node helper: no bundle to
// load), beside `go version` (a Go binary's start) as the reference. Medians, best and worst.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const RUNS = Math.max(1, Math.min(100, Number(values.runs)));
const HELPER =
  'process.stdout.write(JSON.stringify({ID:0,KnownCommands:["get","put","close"]})+"\\n");process.stdin.resume();process.stdin.on("end",()=>process.exit(0));';

/** Milliseconds from spawn to the first byte on stdout, then until exit after stdin closes. */
async function once(cmd: string, args: string[]): Promise<number> {
  const started = performance.now();
  return await new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    let first = 0;
    child.stdout.once('data', () => {
      first = performance.now() - started;
      child.stdin.end();
    });
    child.on('error', reject);
    child.on('close', () => resolve(first || performance.now() - started));
  });
}

function summary(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)]!.toFixed(0)} ms, best ${s[0]!.toFixed(0)} ms, worst ${s.at(-1)!.toFixed(0)} ms`;
}

const node: number[] = [];
const go: number[] = [];
for (let i = 0; i < RUNS; i++) {
  node.push(await once(process.execPath, ['-e', HELPER]));
  go.push(await once('go', ['version']));
}
console.log(`node helper to its first message (${RUNS} runs): ${summary(node)}`);
console.log(`go version (${RUNS} runs):                     ${summary(go)}`);
console.log(`load average: ${(await import('node:fs')).readFileSync('/proc/loadavg', 'utf8').trim()}`);
