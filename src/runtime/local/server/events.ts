/**
 * The NDJSON stream of a run: one event per line, written as soon as the event loop is free
 * (a program that prints a line at a time gets a line at a time on the page), but with the chunks
 * that arrived meanwhile merged into one event, and with the program's pipes paused while the
 * browser is not reading, so a program that prints without end cannot fill this server's memory.
 */
import type { ServerResponse } from 'node:http';
import type { LocalRuntimeEvent } from '../protocol.ts';

/** Merged output events stop growing at this size; the next chunk starts a new event. */
const MAX_MERGED_CHARS = 64 * 1024;

export interface EventWriter {
  send(event: LocalRuntimeEvent): void;
  /** Writes what is queued and `last`, and ends the response. */
  end(last: LocalRuntimeEvent): void;
}

/** `pressure(true)` when the browser stops reading, `pressure(false)` when it has caught up. */
export function eventWriter(res: ServerResponse, pressure: (paused: boolean) => void): EventWriter {
  const queue: LocalRuntimeEvent[] = [];
  let scheduled: ReturnType<typeof setImmediate> | undefined;
  let waitingForDrain = false;
  let ended = false;

  const serialize = (events: LocalRuntimeEvent[]) => events.map((event) => `${JSON.stringify(event)}\n`).join('');

  function flush(): void {
    scheduled = undefined;
    if (ended || waitingForDrain || queue.length === 0 || res.destroyed) return;
    if (!res.write(serialize(queue.splice(0)))) {
      waitingForDrain = true;
      pressure(true);
      res.once('drain', () => {
        waitingForDrain = false;
        pressure(false);
        flush();
      });
    }
  }

  return {
    send(event) {
      if (ended) return;
      const last = queue.at(-1);
      if (event.type === 'output' && last?.type === 'output' && last.stream === event.stream && last.text.length < MAX_MERGED_CHARS) {
        last.text += event.text;
      } else {
        queue.push(event.type === 'output' ? { ...event } : event);
      }
      if (!scheduled && !waitingForDrain) scheduled = setImmediate(flush);
    },
    end(last) {
      if (ended) return;
      ended = true;
      if (scheduled) clearImmediate(scheduled);
      // The program is gone, so what is queued is all there will be: written even if the browser
      // is slow, since Node buffers it for the socket.
      if (!res.destroyed) res.end(serialize([...queue.splice(0), last]));
    },
  };
}
