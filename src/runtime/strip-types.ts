/**
 * Turns an example's TypeScript into plain JavaScript that Node 18/20 can run as an ES module.
 *
 * The browser sandbox (a WebContainer) runs Node without type stripping, so the page strips the
 * types before it writes the files; the tests run the same function before they run the
 * stripped ports on Node 20. Only types are removed: imports stay ESM, and modern syntax is
 * kept as written (the examples use only erasable TypeScript, so nothing else needs changing).
 */
import { transform } from 'sucrase';

export function stripTypes(source: string, fileName: string): string {
  return transform(source, {
    transforms: ['typescript'],
    disableESTransforms: true,
    filePath: fileName,
  }).code;
}
