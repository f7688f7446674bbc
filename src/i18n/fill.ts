/**
 * Fills a sentence's `{name}` slots with figures; a slot with no figure stays as it is, visible,
 * rather than becoming "undefined". Shared by the build's strings (./ui.ts) and the page scripts
 * that say sentences the page handed them (src/exercises/), without loading the whole table.
 */
export function fillSlots(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (slot, name: string) => (name in values ? String(values[name]) : slot));
}
