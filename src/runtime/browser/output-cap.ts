/**
 * The output limit of the in-page runtimes (JavaScript and Python alike): counts the UTF-8 bytes a
 * program prints and cuts the chunk that crosses the limit at it, so the page shows exactly the
 * allowed bytes and then says the program was stopped.
 */
import { cutToBytes, utf8Length } from '../../lib/utf8.ts';

export interface Capped {
  /** What of the chunk may be shown ('' once the limit is passed). */
  part: string;
  /** This chunk crossed the limit: the program is to be stopped. */
  over: boolean;
}

export function outputCap(limitBytes: number): (text: string) => Capped {
  let printed = 0;
  return (text) => {
    const room = limitBytes - printed;
    const size = utf8Length(text);
    printed += size;
    return size > room ? { part: cutToBytes(text, room), over: true } : { part: text, over: false };
  };
}
