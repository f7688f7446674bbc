// Pagefind's interface ships without types; these are the parts src/search/pagefind-on-open.ts uses.
declare module '@pagefind/default-ui/npm_dist/mjs/ui-core.mjs' {
  export interface PagefindOptions {
    element?: string | HTMLElement;
    [option: string]: unknown;
  }
  export class PagefindUI {
    constructor(options: PagefindOptions);
  }
}
