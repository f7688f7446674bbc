// @ts-check
// Expressive Code's options beyond Starlight's (a file of its own: the `<Code>` component in the
// examples reads it too, and it may hold functions).
import { createRenderer, defineEcConfig } from '@astrojs/starlight/expressive-code';

export default defineEcConfig({
  // Without Expressive Code's "scrollable block tabindex" module: the book's own script does its job
  // without laying the page out once per block (src/integrations/code-blocks.ts).
  async customCreateRenderer(options) {
    const renderer = await createRenderer(options);
    renderer.jsModules = renderer.jsModules.filter((code) => !code.includes('tabindex-js-module'));
    return renderer;
  },
});
