// src/sandbox/terminal-text.ts: what a reader sees of a line full of escape sequences.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAnsiSequenceParser } from 'ansi-sequence-parser';
import { plainText, terminalText } from '../src/sandbox/terminal-text.ts';

/** The line as the output view draws it: pieces of text with their decorations and named colours. */
function drawn(line: string): { text: string; style: string }[] {
  return createAnsiSequenceParser()
    .parse(terminalText(line))
    .map((token) => ({
      text: token.value,
      style: [
        token.foreground?.type === 'named' ? token.foreground.name : '',
        token.background?.type === 'named' ? `bg-${token.background.name}` : '',
        ...token.decorations,
      ]
        .filter(Boolean)
        .join(' '),
    }));
}

describe('terminalText', () => {
  it('keeps the text around an erase-line sequence, with bold only where it was asked for', () => {
    assert.deepEqual(drawn('\x1b[2Khello \x1b[1mbold'), [
      { text: 'hello ', style: '' },
      { text: 'bold', style: 'bold' },
    ]);
    assert.equal(plainText('\x1b[2Khello \x1b[1mbold'), 'hello bold');
  });

  it('keeps the visible text of an OSC 8 hyperlink, ended by ST or by BEL', () => {
    assert.equal(plainText('see \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ here'), 'see link here');
    assert.equal(plainText('\x1b]8;id=1;https://example.com/a?b=c\x07docs\x1b]8;;\x07'), 'docs');
    assert.deepEqual(drawn('\x1b]8;;http://x\x1b\\\x1b[31mred link\x1b[0m\x1b]8;;\x1b\\'), [{ text: 'red link', style: 'red' }]);
  });

  it('removes cursor moves, erases, a hidden cursor, a window title and charset switches', () => {
    const line = '\x1b[?25l\x1b[1A\x1b[2K\x1b[10;20H\x1b[0J\x1b]0;my title\x07\x1b7\x1b(B\x1b[mdone\x1b8\x1b[?25h';
    assert.equal(plainText(line), 'done');
    assert.equal(plainText('\x1bP1$r0m\x1b\\a\x1b_app\x1b\\b\x1b^pm\x1b\\c\x1bXsos\x1b\\d'), 'abcd', 'DCS, APC, PM, SOS');
  });

  it('removes stray control characters but keeps tabs', () => {
    assert.equal(plainText('a\tb\x07c\bd\re\x00f\x7fg\u009bh'), 'a\tbcdefgh');
  });

  it('keeps plain text with a lone ESC that starts no sequence', () => {
    assert.equal(plainText('cost \x1b 5 dollars'), 'cost  5 dollars');
    assert.equal(plainText('end\x1b'), 'end');
    assert.equal(plainText('\x1bпривет'), 'привет');
    assert.equal(plainText('a\x1b\x1b[1mb'), 'ab');
  });

  it('removes a sequence cut off at the end of a line only when it clearly is one', () => {
    assert.equal(plainText('text\x1b[38;5'), 'text', 'a CSI in the middle of its parameters');
    assert.equal(plainText('text\x1b]8;;http://a-link-cut-at-the-limit'), 'text', 'an OSC with its number');
    assert.equal(plainText('text\x1b]not a sequence'), 'text]not a sequence', 'an ESC ] followed by words');
    assert.equal(plainText('text\x1bPwords without end'), 'textPwords without end');
    assert.equal(plainText('a\x1b[12\u00e9b'), 'a[12\u00e9b', 'a malformed CSI keeps its text');
  });

  it('leaves a line without control characters as it is', () => {
    const line = 'Tick 3: 101 ms since the previous tick — всё в порядке';
    assert.equal(terminalText(line), line);
  });

  it('gives the colour parser colours it reads right: resets, colon and 256-colour forms', () => {
    assert.deepEqual(drawn('\x1b[1mbold\x1b[m plain'), [
      { text: 'bold', style: 'bold' },
      { text: ' plain', style: '' },
    ], '"\\x1b[m" resets');
    assert.deepEqual(drawn('\x1b[31mred\x1b[;1mbold'), [
      { text: 'red', style: 'red' },
      { text: 'bold', style: 'bold' },
    ], 'an empty parameter is 0');
    assert.deepEqual(drawn('\x1b[38:5:196;4:3mx\x1b[4:0my'), [
      { text: 'x', style: 'underline' },
      { text: 'y', style: '' },
    ]);
    assert.deepEqual(drawn('\x1b[58;5;1;32mgreen'), [{ text: 'green', style: 'green' }], 'an underline colour is not read as bold');
    assert.deepEqual(drawn('\x1b[>4;2mplain'), [{ text: 'plain', style: '' }], 'a private "m" is not a colour');
  });
});
