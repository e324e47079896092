#!/usr/bin/env node
// The `livetopic-broker` command. The published package runs its build (dist/cli.js). In a clone of
// the livetopic repository there may be no build yet (npm links this file at `npm install`, before
// any build), so there it runs the sources through tsx, the repository's TypeScript runner, with the
// repository's tsconfig paths: `npx livetopic-broker` works right after `npm install`.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const source = new URL('../src/cli.ts', import.meta.url)
const tsconfig = new URL('../../../tsconfig.json', import.meta.url)
if (existsSync(source) && existsSync(tsconfig)) {
  const { register } = await import('tsx/esm/api')
  register({ tsconfig: fileURLToPath(tsconfig) })
  await import(source.href)
} else {
  await import(new URL('../dist/cli.js', import.meta.url).href)
}
