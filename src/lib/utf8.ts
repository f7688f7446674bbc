/** Sizes of text in UTF-8, which output limits count in (what a program writes to a pipe), without encoding it. */

const isHighSurrogate = (code: number) => code >= 0xd800 && code < 0xdc00;

/** The UTF-8 size of a text. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (isHighSurrogate(code)) {
      bytes += 4; // a surrogate pair: one character of four bytes
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** The longest start of `text` that is at most `max` bytes of UTF-8. */
export function cutToBytes(text: string, max: number): string {
  let bytes = 0;
  let end = 0;
  while (end < text.length) {
    const size = utf8Length(text.slice(end, end + (isHighSurrogate(text.charCodeAt(end)) ? 2 : 1)));
    if (bytes + size > max) break;
    bytes += size;
    end += isHighSurrogate(text.charCodeAt(end)) ? 2 : 1;
  }
  return text.slice(0, end);
}
