import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

// scripts/ensure-installed.mjs against a real `npm ci` of a small offline project (one file: dependency)
const manifest = { name: 'app', version: '1.0.0', private: true, dependencies: { dep: 'file:dep' } }
const script = fileURLToPath(new URL('../../scripts/ensure-installed.mjs', import.meta.url))
const made: string[] = []

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'livetopic-ensure-'))
  made.push(dir)
  mkdirSync(join(dir, 'dep'))
  writeFileSync(join(dir, 'dep/package.json'), JSON.stringify({ name: 'dep', version: '1.0.0' }))
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest))
  const lock = {
    name: 'app',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'app', version: '1.0.0', dependencies: { dep: 'file:dep' } },
      dep: { version: '1.0.0' },
      'node_modules/dep': { resolved: 'dep', link: true },
    },
  }
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(lock))
  return dir
}

const ensure = (...dirs: string[]) => spawnSync(process.execPath, [script, ...dirs], { encoding: 'utf8' })

afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true })
})

describe('ensure-installed', () => {
  it('installs a project without node_modules, then again only when its manifest or lockfile changes', () => {
    const dir = project()
    const linked = join(dir, 'node_modules/dep/package.json')

    const first = ensure(dir)
    expect(first.status, first.stderr).toBe(0)
    expect(existsSync(linked)).toBe(true)

    // installed from this lockfile already: no second npm ci, so a removed package stays removed
    rmSync(join(dir, 'node_modules/dep'))
    expect(ensure(dir).status).toBe(0)
    expect(existsSync(linked)).toBe(false)

    writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...manifest, description: 'changed' }))
    expect(ensure(dir).status).toBe(0)
    expect(existsSync(linked)).toBe(true)
  })

  it('refuses a folder without a lockfile, naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'livetopic-ensure-'))
    made.push(dir)
    const result = ensure(dir)
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('has no package-lock.json')
  })

  it('fails with npm ci when the lockfile does not match the manifest', () => {
    const dir = project()
    const unlocked = { ...manifest, dependencies: { ...manifest.dependencies, other: '1.0.0' } }
    writeFileSync(join(dir, 'package.json'), JSON.stringify(unlocked))
    const result = ensure(dir)
    expect(result.status).not.toBe(0)
    expect(result.stderr).toContain('npm ci failed')
    expect(existsSync(join(dir, 'node_modules/.livetopic-installed-from'))).toBe(false)
  })
})
