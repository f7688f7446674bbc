/** Where an example lives and the `<iframe>` that embeds it (src/examples/embed.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EMBED_HEIGHT, chapterPath, embedPath, embedSnippet, exampleAddresses, exampleAnchor } from '../src/examples/embed.ts';

describe('an example’s addresses', () => {
  it('its chapter, its anchor and its embed page, in each language', () => {
    assert.equal(exampleAnchor('07-execution-order'), 'example-07-execution-order');
    assert.equal(chapterPath('how-asyncio-works', 'ru'), '/how-asyncio-works/');
    assert.equal(chapterPath('how-asyncio-works', 'en'), '/en/how-asyncio-works/');
    assert.equal(embedPath('07-execution-order', 'ru'), '/embed/07-execution-order/');
    assert.equal(embedPath('07-execution-order', 'en'), '/en/embed/07-execution-order/');
  });

  it('absolute on the configured site, the book’s address with the example’s anchor', () => {
    const example = { id: '02-scraper-async', chapter: 'what-is-asyncio' };
    assert.deepEqual(exampleAddresses(example, 'en', 'https://book.example.edu'), {
      inBook: 'https://book.example.edu/en/what-is-asyncio/#example-02-scraper-async',
      embed: 'https://book.example.edu/en/embed/02-scraper-async/',
    });
    assert.deepEqual(exampleAddresses(example, 'ru', new URL('https://book.example.edu/')), {
      inBook: 'https://book.example.edu/what-is-asyncio/#example-02-scraper-async',
      embed: 'https://book.example.edu/embed/02-scraper-async/',
    });
  });
});

describe('the embed snippet', () => {
  it('is one iframe with the page, its title, the full width, a height, lazy loading, no border and the clipboard', () => {
    assert.equal(
      embedSnippet({ src: 'https://book.example.edu/en/embed/07-execution-order/', title: 'The order of execution of async code' }),
      `<iframe src="https://book.example.edu/en/embed/07-execution-order/" title="The order of execution of async code" width="100%" height="${EMBED_HEIGHT}" loading="lazy" style="border:0" allow="clipboard-write"></iframe>`,
    );
  });

  it('has no sandbox attribute, which would stop the example from running', () => {
    assert.doesNotMatch(embedSnippet({ src: 'https://x.test/embed/a/', title: 'a' }), /sandbox/);
  });

  it('escapes what it puts in attributes, so a title cannot end one', () => {
    const snippet = embedSnippet({ src: 'https://x.test/embed/a/?q="1"&b=<2>', title: 'Say "hi" & <go>' });
    assert.match(snippet, /src="https:\/\/x\.test\/embed\/a\/\?q=&quot;1&quot;&amp;b=&lt;2&gt;"/);
    assert.match(snippet, /title="Say &quot;hi&quot; &amp; &lt;go&gt;"/);
    assert.equal(snippet.match(/"/g)?.length, 14, 'seven attributes, each value in one pair of quotes');
  });

  it('takes another height, a whole number of pixels only', () => {
    assert.match(embedSnippet({ src: 'https://x.test/embed/a/', title: 'a', height: 900 }), / height="900" /);
    for (const height of [0, -5, 12.5, Number.NaN]) assert.throws(() => embedSnippet({ src: 'https://x.test/embed/a/', title: 'a', height }), /height/);
  });
});
