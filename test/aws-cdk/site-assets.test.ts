import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { staleReason } from '../../examples/aws/lib/site-assets.js'

const dir = mkdtempSync(join(tmpdir(), 'livetopic-site-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Writes `path` under the temp dir with the given modification time (seconds since the epoch). */
function write(path: string, mtime: number): void {
  const file = join(dir, path)
  mkdirSync(join(file, '..'), { recursive: true })
  writeFileSync(file, path)
  utimesSync(file, mtime, mtime)
}

describe('synth:aws rebuilds the site when it is stale', () => {
  it('asks for a build when dist is missing or any source file (nested, or in another source folder) is newer than its index.html', () => {
    const site = join(dir, 'app/dist')
    const sources = [join(dir, 'app'), join(dir, 'shared')]
    expect(staleReason(site, sources)).toMatch(/dist is missing/)
    write('app/src/main.tsx', 1_000)
    write('shared/deep/er/ui.ts', 1_000)
    write('app/dist/index.html', 2_000)
    write('app/node_modules/dep/index.js', 9_000) // not a source
    expect(staleReason(site, sources)).toBeUndefined()
    write('shared/deep/er/ui.ts', 3_000)
    expect(staleReason(site, sources)).toBe(`${join(dir, 'shared')} changed after ${site} was built`)
    write('app/dist/index.html', 4_000)
    expect(staleReason(site, sources)).toBeUndefined()
  })
})
