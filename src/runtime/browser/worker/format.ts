/**
 * console.log's formatting (Node's util.format): printf-like `%s %d %i %f %j %o %O %c %%`, then the
 * other arguments separated by spaces; strings as they are, everything else inspected. Values are
 * shown by object-inspect, which writes objects as Node does in the common cases
 * (`{ a: 1, b: [ 2, 3 ] }`, `'quoted'` strings inside); an Error shows its stack, as in Node.
 */
import objectInspect from 'object-inspect';

export function inspect(value: unknown, options: { depth?: number } = {}): string {
  if (value instanceof Error) return errorText(value);
  return objectInspect(value, { depth: options.depth ?? 2, quoteStyle: 'single' });
}

/** An error as Node prints it: its stack (which starts with "Name: message"), else its name and message. */
export function errorText(error: Error): string {
  const stack = typeof error.stack === 'string' ? error.stack : '';
  const head = `${error.name}: ${error.message}`;
  // V8's stacks start with the message; Firefox's and Safari's are only the frames.
  if (stack.startsWith(error.name) || stack.startsWith(head)) return stack;
  return stack ? `${head}\n${stack}` : head;
}

export function format(...args: unknown[]): string {
  if (args.length === 0) return '';
  const [first, ...rest] = args;
  if (typeof first !== 'string') return args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ');
  let used = 0;
  const text = first.replace(/%[sdifjoOc%]/g, (spec) => {
    if (spec === '%%') return '%';
    if (used >= rest.length) return spec;
    const value = rest[used++];
    switch (spec) {
      case '%s':
        return typeof value === 'string' ? value : typeof value === 'bigint' ? `${value}n` : typeof value === 'object' && value !== null ? inspect(value, { depth: 1 }) : String(value);
      case '%d':
        return typeof value === 'bigint' ? `${value}n` : typeof value === 'object' && value !== null ? 'NaN' : String(Number(value));
      case '%i':
        return typeof value === 'bigint' ? `${value}n` : String(Number.parseInt(String(value), 10));
      case '%f':
        return String(Number.parseFloat(String(value)));
      case '%j':
        try {
          return JSON.stringify(value);
        } catch {
          return '[Circular]';
        }
      case '%c':
        return '';
      default:
        return inspect(value, { depth: 4 });
    }
  });
  const tail = rest.slice(used).map((a) => (typeof a === 'string' ? a : inspect(a)));
  return [text, ...tail].join(' ');
}
