/** An element the static markup always has; a missing one is a bug in the markup, so it throws. */
export function required<T extends HTMLElement = HTMLElement>(root: ParentNode, selector: string, owner: string): T {
  const element = root.querySelector<T>(selector);
  if (!element) throw new Error(`${owner}: missing ${selector}`);
  return element;
}
