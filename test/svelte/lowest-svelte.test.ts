// Runs in the dom-svelte57 project only: proves that project's `svelte` is the 5.7.0 the `/runes`
// peer range starts at, not the workspace's Svelte (the runes tests beside it run on it).
import pkg from 'svelte/package.json' with { type: 'json' }
import { expect, it } from 'vitest'

it('runs on Svelte 5.7.0', () => {
  expect(pkg.version).toBe('5.7.0')
})
