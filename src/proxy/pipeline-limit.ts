// How deep one connection may pipeline. Every request read is parsed and handled at once,
// though its answer waits for the ones before it; a client writing thousands of requests in
// one go (60 bytes each) would have the proxy hold kilobytes for each. The go command never
// pipelines (nor do curl or browsers), so a connection this deep is dropped.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export const maxQueuedAnswers = 64;

const queued = Symbol('goproxy-action queued answers');
type CountedSocket = Socket & { [queued]?: number };

/**
 * Counts an answer that must wait for earlier ones on its connection (it has no socket yet);
 * true when the connection has more waiting than any client needs: the caller drops it.
 */
export function pipelinedTooDeep(req: IncomingMessage, res: ServerResponse): boolean {
  if (res.socket) return false; // the usual case: nothing waits, nothing to count
  const socket = req.socket as CountedSocket;
  const waiting = (socket[queued] ?? 0) + 1;
  socket[queued] = waiting;
  let counted = true;
  const uncount = () => {
    if (!counted) return;
    counted = false;
    socket[queued] = (socket[queued] ?? 1) - 1;
  };
  res.once('socket', uncount);
  res.once('close', uncount);
  return waiting > maxQueuedAnswers;
}
