/**
 * Who may talk to the local runtime: only a page of the book served on this machine, read on this
 * machine. The runtime executes code it is sent, so each check closes one way in:
 * - the socket's local address: the request came over loopback, not from the network (even if the
 *   server was bound to every interface by mistake);
 * - the Host header: a loopback name, which defeats DNS rebinding (evil.example resolving to
 *   127.0.0.1 still sends `Host: evil.example`);
 * - Sec-Fetch-Site and Origin: the request came from the book's own pages, not from another site
 *   open in the same browser (which could otherwise send a simple cross-site POST).
 */
import type { IncomingMessage } from 'node:http';

/** 127.0.0.0/8, ::1, and IPv4 loopback mapped into IPv6 (a dual-stack socket reports that). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const ipv4 = address.toLowerCase().replace(/^::ffff:/, '');
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ipv4) || address === '::1' || address === '0:0:0:0:0:0:0:1';
}

/** A Host header naming this machine by a loopback name: localhost, 127.x.x.x or [::1], any port. */
export function isLoopbackHost(host: string | undefined): boolean {
  return !!host && /^(?:localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(?::\d{1,5})?$/i.test(host);
}

/** The one Origin the book's pages send: the page's own, which is http:// plus the Host it used. */
export function expectedOrigin(req: IncomingMessage): string {
  return `http://${(req.headers.host ?? '').toLowerCase()}`;
}

/**
 * Why the request may not use the runtime, or null when it may. `requireOrigin`: browsers send
 * Origin with every POST (same-origin included) but not with a same-origin GET.
 */
export function refusal(req: IncomingMessage, requireOrigin: boolean): string | null {
  if (!isLoopbackAddress(req.socket.localAddress)) {
    return 'The local runtime only answers requests made on this machine (over a loopback address such as 127.0.0.1).';
  }
  const host = req.headers.host;
  if (!isLoopbackHost(host)) {
    return `The local runtime only answers pages opened as http://localhost or http://127.0.0.1, not as http://${host ?? '(no Host header)'}.`;
  }
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') {
    return `The local runtime only answers the book's own pages (this request came from a ${site} page).`;
  }
  const origin = req.headers.origin;
  if (origin === undefined && requireOrigin) {
    return 'The local runtime needs the Origin header that browsers send: requests from other programs are refused.';
  }
  if (origin !== undefined && origin.toLowerCase() !== expectedOrigin(req)) {
    return `The local runtime only answers the book's own pages (${expectedOrigin(req)}), not ${origin}.`;
  }
  return null;
}
