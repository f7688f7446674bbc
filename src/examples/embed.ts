/**
 * Where an example lives and how another site embeds it: its place in its chapter, its embed page
 * (src/pages/embed/[id].astro, src/pages/en/embed/[id].astro) and the `<iframe>` a teacher pastes.
 * Pure functions: the build (src/components/Example.astro, the embed pages) and the tests use them.
 */
import type { Locale } from '../i18n/ui.ts';

/** The folder of the embed pages in each language; src/runtime/isolation.ts sends their headers. */
export const EMBED_BASES: Readonly<Record<Locale, string>> = Object.freeze({ ru: '/embed/', en: '/en/embed/' });

/**
 * The height of the frame in the snippet, in CSS pixels: the title, the buttons, the start of the
 * code and the output are in view; the rest scrolls inside the frame.
 */
export const EMBED_HEIGHT = 720;

/** The id of an example's place in its chapter (`#example-<id>`). */
export function exampleAnchor(id: string): string {
  return `example-${id}`;
}

/** A chapter's path in a language: `/<slug>/`, `/en/<slug>/`. */
export function chapterPath(chapter: string, locale: Locale): string {
  return `${locale === 'en' ? '/en' : ''}/${chapter}/`;
}

/** An example's embed page: `/embed/<id>/`, `/en/embed/<id>/`. */
export function embedPath(id: string, locale: Locale): string {
  return `${EMBED_BASES[locale]}${id}/`;
}

export interface ExampleAddresses {
  /** The example in its chapter, with its anchor: the embed page's canonical address. */
  inBook: string;
  /** Its embed page. */
  embed: string;
}

/** The absolute addresses of an example on the site (the configured `site` of astro.config.mjs). */
export function exampleAddresses(example: { id: string; chapter: string }, locale: Locale, site: URL | string): ExampleAddresses {
  return {
    inBook: new URL(`${chapterPath(example.chapter, locale)}#${exampleAnchor(example.id)}`, site).href,
    embed: new URL(embedPath(example.id, locale), site).href,
  };
}

export interface SnippetOptions {
  /** The absolute address of the embed page. */
  src: string;
  /** The frame's accessible name: the example's title. */
  title: string;
  height?: number;
}

/**
 * The `<iframe>` that embeds an example in another page. No `sandbox` attribute: the example needs
 * scripts and its own origin (its storage, its workers), so a sandbox would have to allow both and
 * would protect nothing. `allow="clipboard-write"` lets Copy output work inside the frame.
 */
export function embedSnippet({ src, title, height = EMBED_HEIGHT }: SnippetOptions): string {
  if (!Number.isInteger(height) || height <= 0) throw new Error(`embedSnippet: height must be a positive whole number of pixels, not ${height}`);
  return `<iframe src="${attribute(src)}" title="${attribute(title)}" width="100%" height="${height}" loading="lazy" style="border:0" allow="clipboard-write"></iframe>`;
}

/** Text as an HTML attribute value in double quotes. */
function attribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
