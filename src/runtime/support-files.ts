/**
 * The files every WebContainer gets under `_support/`: the book's image server, stripped of its
 * types as the page strips the examples. Its own module, so that sucrase loads with the first run
 * and not with a boot started early (the sandbox's warm-up).
 */
import { stripTypes } from './strip-types.ts';

export function supportFilesFrom(imageServerSource: string): Record<string, string> {
  return { 'image-server.js': stripTypes(imageServerSource, 'image-server.ts') };
}
