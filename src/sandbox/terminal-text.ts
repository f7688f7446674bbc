/**
 * What a terminal would show of one line of program output, before its colours are drawn.
 *
 * Programs print more than colours: cursor moves and line erases (progress bars, `\x1b[2K`),
 * hidden cursors (`\x1b[?25l`), window titles and hyperlinks (OSC), charset switches (`\x1b(B`,
 * which `tput sgr0` prints). The colour parser (ansi-sequence-parser) knows only `\x1b[…m`: it
 * reads any other `\x1b[` up to the next "m" as one sequence, eating the text in between, and
 * leaves a line with any other escape raw. So every escape sequence that is not a colour (SGR) is
 * removed here first, and the colours that stay are rewritten in the one form the parser reads
 * right.
 *
 * The rule is never to drop printable text: a sequence is removed only when its shape says it is
 * one (ECMA-48); an ESC that starts nothing is removed alone and the text after it stays.
 * Framework-free and linear in the length of the line.
 */

const ESC = 0x1b;
const BEL = 0x07;
const TAB = 0x09;

/** Any character that may need work: C0 controls (but tab), DEL and the C1 controls. */
// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex -- a colour sequence, once sanitized
const SGR = /\u001b\[[\d;]*m/g;

/** The line with every escape sequence but colours (SGR) and every other control character removed. */
export function terminalText(line: string): string {
  if (!CONTROL.test(line)) return line; // most lines: nothing to do
  const parts: string[] = [];
  let textFrom = 0;
  let at = 0;
  while (at < line.length) {
    const code = line.charCodeAt(at);
    if (code !== ESC && !isControl(code)) {
      at += 1;
      continue;
    }
    if (at > textFrom) parts.push(line.slice(textFrom, at));
    if (code === ESC) {
      const sequence = readEscape(line, at);
      if (sequence.sgr !== undefined) parts.push(sequence.sgr);
      at += sequence.length;
    } else {
      at += 1; // a stray control character: a backspace, a bell, a lone "\r"
    }
    textFrom = at;
  }
  if (line.length > textFrom) parts.push(line.slice(textFrom));
  return parts.join('');
}

/** The text a reader sees, without colours either: what the copy button copies. */
export function plainText(line: string): string {
  return terminalText(line).replace(SGR, '');
}

interface Escape {
  /** Characters from the ESC to the end of what is removed (1: the ESC alone). */
  length: number;
  /** For a colour sequence, the sequence to keep, rewritten for the colour parser. */
  sgr?: string;
}

const LONE: Escape = { length: 1 };

/** The escape sequence that starts at `at` (an ESC). */
function readEscape(line: string, at: number): Escape {
  const next = line.charCodeAt(at + 1); // NaN at the end of the line
  switch (next) {
    case 0x5b: // [  CSI
      return readCsi(line, at);
    case 0x5d: // ]  OSC: a title, a hyperlink, a colour query
      return readString(line, at, (body) => /^\d+(?:;|$)/.test(body));
    case 0x50: // P  DCS
    case 0x58: // X  SOS
    case 0x5e: // ^  PM
    case 0x5f: // _  APC
      // Their bodies can be anything: unterminated, they are not clearly a sequence.
      return readString(line, at, () => false);
  }
  if (next >= 0x21 && next <= 0x2f) {
    // ESC, intermediates, a final byte: a charset designation such as "\x1b(B", "\x1b#8"
    let end = at + 1;
    while (end < line.length && isIntermediate(line.charCodeAt(end))) end += 1;
    return isFinal(line.charCodeAt(end), 0x30) ? { length: end + 1 - at } : LONE;
  }
  if (next === 0x20) {
    // ESC SP F|G|L|M|N are the only ones defined; an ESC before an ordinary space starts nothing.
    return 'FGLMN'.includes(line[at + 2] ?? '-') ? { length: 3 } : LONE;
  }
  // ESC and one final byte: save/restore the cursor ("\x1b7", "\x1b8"), reset ("\x1bc"), index…
  if (isFinal(next, 0x30)) return { length: 2 };
  return LONE; // the end of the line, a control character, a letter outside ASCII
}

/** CSI: parameters 0x30–0x3F, intermediates 0x20–0x2F, a final byte 0x40–0x7E. */
function readCsi(line: string, at: number): Escape {
  const paramsFrom = at + 2;
  let end = paramsFrom;
  while (end < line.length && isParameter(line.charCodeAt(end))) end += 1;
  const paramsTo = end;
  while (end < line.length && isIntermediate(line.charCodeAt(end))) end += 1;
  if (end >= line.length) return { length: end - at }; // cut off at the end of the line: clearly a CSI
  const final = line.charCodeAt(end);
  if (!isFinal(final, 0x40)) return LONE; // malformed: keep what follows as text
  const params = line.slice(paramsFrom, paramsTo);
  const colour = final === 0x6d && paramsTo === end && /^[\d;:]*$/.test(params);
  return colour ? { length: end + 1 - at, sgr: `\x1b[${sgrParams(params)}m` } : { length: end + 1 - at };
}

/**
 * A control string (OSC, DCS, SOS, PM, APC), ended by ST ("\x1b\\") or BEL. One that is not
 * ended (the line ends, or another ESC starts something else) is removed only if `clearly`
 * says its body looks like a sequence; otherwise only the ESC goes and its text stays.
 */
function readString(line: string, at: number, clearly: (body: string) => boolean): Escape {
  const bodyFrom = at + 2;
  let end = bodyFrom;
  while (end < line.length) {
    const code = line.charCodeAt(end);
    if (code === BEL) return { length: end + 1 - at };
    if (code === ESC) {
      if (line.charCodeAt(end + 1) === 0x5c) return { length: end + 2 - at };
      break;
    }
    end += 1;
  }
  return clearly(line.slice(bodyFrom, end)) ? { length: end - at } : LONE;
}

/**
 * SGR parameters in the one form ansi-sequence-parser reads right: "" and empty parameters are 0
 * (a reset: "\x1b[m" is what `tput sgr0` prints, and the parser would ignore it); colon
 * sub-parameters ("38:5:196", "38:2::255:0:0", "4:3") become their semicolon meaning; the
 * underline colour (58), which the parser does not know and would read as other codes, goes.
 */
function sgrParams(params: string): string {
  const groups = params.split(';');
  const out: string[] = [];
  for (let index = 0; index < groups.length; index++) {
    const group = groups[index]!;
    if (group.includes(':')) {
      out.push(...colonGroup(group.split(':')));
      continue;
    }
    if (group === '38' || group === '48' || group === '58') {
      const mode = groups[index + 1];
      const count = mode === '5' ? 2 : mode === '2' ? 4 : 0;
      const colour = groups.slice(index + 1, index + 1 + count);
      index += count;
      if (group !== '58' && count > 0) out.push(group, ...colour);
      continue;
    }
    out.push(group === '' ? '0' : group);
  }
  return out.join(';');
}

function colonGroup([code = '', ...subs]: string[]): string[] {
  if (code === '38' || code === '48') {
    if (subs[0] === '5' && subs.length >= 2) return [code, '5', subs[1] || '0'];
    // 38:2:r:g:b, or with a colour space first: 38:2:<space>:r:g:b
    if (subs[0] === '2' && subs.length >= 4) return [code, '2', ...subs.slice(-3).map((value) => value || '0')];
    return [];
  }
  if (code === '58') return [];
  if (code === '4') return [subs[0] === '0' ? '24' : '4']; // 4:0 is "no underline", 4:1…4:5 are kinds of underline
  return [code || '0'];
}

function isControl(code: number): boolean {
  return (code < 0x20 && code !== TAB) || (code >= 0x7f && code <= 0x9f);
}
const isParameter = (code: number) => code >= 0x30 && code <= 0x3f;
const isIntermediate = (code: number) => code >= 0x20 && code <= 0x2f;
const isFinal = (code: number, from: number) => code >= from && code <= 0x7e;
