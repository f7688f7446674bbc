/**
 * A tiny element tree, so that the timeline is drawn by one function both at build time (as markup)
 * and in the page (as DOM nodes). Text from program output only ever becomes a text node or an
 * escaped string: a URL such as `<img onerror=…>` is shown, never parsed.
 */
export interface Node {
  tag: string;
  attrs: Record<string, string | number | boolean | undefined>;
  children: Child[];
}
export type Child = Node | string;

export function h(tag: string, attrs: Node['attrs'] = {}, ...children: (Child | Child[] | null | undefined | false)[]): Node {
  const flat: Child[] = [];
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) flat.push(child);
  return { tag, attrs, children: flat };
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escape = (text: string) => text.replace(/[&<>"]/g, (char) => escapes[char] ?? char);

/** Markup for the static page. Attributes that are `false` or undefined are left out. */
export function toMarkup(node: Child): string {
  if (typeof node === 'string') return escape(node);
  const attrs = Object.entries(node.attrs)
    .filter(([, value]) => value !== undefined && value !== false)
    .map(([name, value]) => (value === true ? ` ${name}` : ` ${name}="${escape(String(value))}"`))
    .join('');
  return `<${node.tag}${attrs}>${node.children.map(toMarkup).join('')}</${node.tag}>`;
}

const SVG = 'http://www.w3.org/2000/svg';

/** DOM nodes for the live page; everything inside an `<svg>` is made in the SVG namespace. */
export function toDom(node: Child, inSvg = false): globalThis.Node {
  if (typeof node === 'string') return document.createTextNode(node);
  const svg = inSvg || node.tag === 'svg';
  const element = svg ? document.createElementNS(SVG, node.tag) : document.createElement(node.tag);
  for (const [name, value] of Object.entries(node.attrs)) {
    if (value !== undefined && value !== false) element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of node.children) element.append(toDom(child, svg));
  return element;
}
