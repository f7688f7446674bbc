/**
 * Code blocks in the built pages wait as plain text beside their highlighted lines
 * (src/code-blocks/plain-until-near.ts): over Expressive Code's real output, the plain text is the
 * code (every line, escaped as in the page), the lines are kept whole, and blocks inside templates
 * or that wrap their lines are left as they were.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExpressiveCode } from 'expressive-code';
import { toHtml } from 'hast-util-to-html';
import { deferHighlighting, LINES_ATTRIBUTE, PLAIN_CLASS } from '../src/code-blocks/plain-until-near.ts';

const engine = new ExpressiveCode();
const block = async (code: string, language: string, meta = '') => toHtml((await engine.render({ code, language, meta })).renderedGroupAst);

const CODE = 'async def main():\n\n    if a < b and c > d & e:\n        await asyncio.sleep(1)\n';

describe('deferHighlighting', () => {
  it('turns a block into its plain text and a template with its highlighted lines', async () => {
    const original = await block(CODE, 'python');
    const { html, blocks } = deferHighlighting(`<main>${original}</main>`);
    assert.equal(blocks, 1);
    const plain = new RegExp(`<code class="${PLAIN_CLASS}">([\\s\\S]*?)</code></pre><template ${LINES_ATTRIBUTE}>(<code>[\\s\\S]*?</code>)</template>`).exec(html);
    assert.ok(plain, html);
    // Every line, the empty one included, without the final newline; `<`, `>` and `&` stay escaped;
    // the first line in a span of its own (room for the copy button, as Expressive Code keeps it).
    assert.equal(plain[1], '<span class="book-code-first">async def main():</span>\n\n    if a &#x3C; b and c > d &#x26; e:\n        await asyncio.sleep(1)');
    // The template holds exactly the lines Expressive Code drew.
    assert.equal(plain[2], /<code>[\s\S]*?<\/code>/.exec(original)![0]);
    assert.equal((plain[2].match(/class="ec-line/g) ?? []).length, 4);
  });

  it('leaves blocks inside templates, nested or not, and blocks that wrap', async () => {
    const inner = await block('print(1)', 'python');
    const wrapped = await block('x = 1', 'python', 'wrap');
    const page = `<template a><div><template b>${inner}</template>${inner}</div></template>${wrapped}<p>after</p>${inner}`;
    const { html, blocks } = deferHighlighting(page);
    assert.equal(blocks, 1, 'only the last block, outside every template');
    assert.ok(html.startsWith(`<template a><div><template b>${inner}</template>${inner}</div></template>${wrapped}<p>after</p>`));
  });
});
