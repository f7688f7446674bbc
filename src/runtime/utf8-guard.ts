/**
 * A program's text through a WebContainer's terminal, intact.
 *
 * @webcontainer/api 1.6.4 turns every chunk of a process's output into a string on its own
 * (dist/index.js, `binaryListener`: one shared TextDecoder, `decoder.decode(data)`, no
 * `{ stream: true }`). A character whose UTF-8 bytes fall on both sides of a chunk boundary arrives
 * as two U+FFFD, and the page cannot tell which character it was: any Cyrillic, in a book whose
 * readers write Russian. So the bytes never split a character. OUTPUT_GUARD, preloaded into each
 * program (`node --require`), writes every run of characters outside ASCII, and ESC, as an SOS
 * string `ESC X <base64 of the UTF-8> ESC \`: plain ASCII, which a terminal passes through untouched
 * and no chunk boundary can damage. TerminalText reads the stream back: it turns the terminal's
 * `\r\n` into `\n`, as the other runtimes give lines, and those strings into the program's text.
 *
 * What bypasses process.stdout/stderr (Node's own report of an uncaught exception, written by C++)
 * arrives unguarded: short, and still decoded as the library decodes it.
 */

const ESC = '\u001b';
const START = `${ESC}X`;
const END = `${ESC}\\`;
/** A complete guarded run: ESC X, base64, ESC \. */
const GUARDED = /\u001bX([A-Za-z0-9+/=]*)\u001b\\/g;
/** An escape never finished is let through as it is beyond this size: output must not pile up. */
const MAX_HELD = 1 << 20;

/**
 * The preload (CommonJS, so `--require` takes it in a package of type module, on Node 18 and 20).
 * Worker threads are skipped: their output reaches the terminal through the main thread's streams,
 * which encode it once.
 */
export const OUTPUT_GUARD = String.raw`'use strict';
// Written by the book's page (src/runtime/utf8-guard.ts): characters outside ASCII leave this
// process as ESC X <base64 of their UTF-8> ESC \, so that no chunk boundary can split one.
if (require('node:worker_threads').isMainThread) {
  const { StringDecoder } = require('node:string_decoder');
  const encode = (text) => text.replace(/[\u001b\u0080-\uffff]+/g, (run) => '\u001bX' + Buffer.from(run, 'utf8').toString('base64') + '\u001b\\');
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write;
    const decoder = new StringDecoder('utf8');
    stream.write = function (chunk, encoding, callback) {
      if (typeof encoding === 'function') {
        callback = encoding;
        encoding = undefined;
      }
      let text;
      if (typeof chunk === 'string') text = encoding && !/^utf-?8$/i.test(encoding) ? Buffer.from(chunk, encoding).toString('utf8') : chunk;
      else text = decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      return write.call(this, encode(text), 'utf8', callback);
    };
  }
}
`;

/** The guard's encoding of a text, as the page's tests check it against the real preload. */
export function guarded(text: string): string {
  return text.replace(/[\u001b\u0080-\uffff]+/g, (run) => `${START}${base64(new TextEncoder().encode(run))}${END}`);
}

/** Reads a terminal's output stream back into a program's text, chunk by chunk. */
export class TerminalText {
  /** The end of the last chunk that may continue in the next: a `\r`, or an unfinished escape. */
  private held = '';

  /** The text that `chunk` completes. */
  push(chunk: string): string {
    let text = this.held + chunk;
    this.held = '';
    const cut = unfinishedFrom(text);
    if (cut < text.length && text.length - cut <= MAX_HELD) {
      this.held = text.slice(cut);
      text = text.slice(0, cut);
    }
    if (text.endsWith('\r')) {
      this.held = `\r${this.held}`;
      text = text.slice(0, -1);
    }
    return decode(text);
  }

  /** What is left at the end of the stream. */
  flush(): string {
    const rest = this.held;
    this.held = '';
    return decode(rest);
  }
}

/** Where an escape starts that this text does not finish (its length if there is none). */
function unfinishedFrom(text: string): number {
  let last = 0;
  for (const match of text.matchAll(GUARDED)) last = (match.index ?? 0) + match[0].length;
  const open = text.indexOf(ESC, last);
  return open === -1 ? text.length : open;
}

function decode(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(GUARDED, (whole, data: string) => {
    try {
      return new TextDecoder().decode(Uint8Array.from(atob(data), (char) => char.charCodeAt(0)));
    } catch {
      return whole; // not base64 after all: shown as it came
    }
  });
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
