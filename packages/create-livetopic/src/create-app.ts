import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { TEMPLATE_DEPENDENCIES, TEMPLATES, type TemplateName } from './templates.js'

/** Options of {@link createApp}. */
export interface CreateAppOptions {
  /** Folder to create (must not exist or be empty). Its name becomes the package name. */
  dir: string
  /** Framework of the app; default `react`. */
  template?: TemplateName
  /** Version range of the `@livetopic` packages; default this starter's own version (`^x.y.z`). */
  livetopicVersion?: string
}

/** What {@link createApp} made. */
export interface CreatedApp {
  /** The app's folder, absolute. */
  dir: string
  /** Its package name (from the folder's name). */
  name: string
  /** The framework template used. */
  template: TemplateName
  /** Every file written, relative to `dir`, sorted. */
  files: string[]
}

// the package root holds templates/ next to dist/ (built) or src/ (sources)
const packageRoot = (): string => fileURLToPath(new URL('..', import.meta.url))

const ownVersion = (): string => (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version

/** An npm package name from a folder name: lower case, npm's characters only. */
export function packageNameOf(dir: string): string {
  const name = basename(resolve(dir))
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '')
  return name || 'livetopic-app'
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  )
}

/**
 * Writes a new app: the template's files (the shared `livetopic/` folder with the authorizer, the rules
 * and the local broker, `infra/` with the CDK stack, `test/`, and the framework's `src/`) and a
 * package.json. Offline: it copies files and installs nothing.
 */
export function createApp(options: CreateAppOptions): CreatedApp {
  const template = options.template ?? 'react'
  if (!TEMPLATES.includes(template)) throw new Error(`unknown template '${String(template)}': one of ${TEMPLATES.join(', ')}`)
  const dir = resolve(options.dir)
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir} exists and is not empty`)
  mkdirSync(dir, { recursive: true })
  const templates = join(packageRoot(), 'templates')
  for (const part of ['base', template]) cpSync(join(templates, part), dir, { recursive: true })
  // npm drops .gitignore from packages: the template carries it as _gitignore
  renameSync(join(dir, '_gitignore'), join(dir, '.gitignore'))

  const name = packageNameOf(dir)
  const version = options.livetopicVersion ?? `^${ownVersion()}`
  const pin = (deps: Record<string, string>): Record<string, string> =>
    Object.fromEntries(Object.entries(deps).map(([pkg, range]) => [pkg, range === 'LIVETOPIC' ? version : range]))
  const { dependencies, devDependencies } = TEMPLATE_DEPENDENCIES[template]
  const manifest = {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: '>=20.19' },
    scripts: {
      dev: 'vite',
      build: 'vite build',
      preview: 'vite preview',
      test: 'vitest run',
      typecheck: template === 'vue' ? 'vue-tsc --noEmit' : template === 'svelte' ? 'svelte-check && tsc --noEmit' : 'tsc --noEmit',
      'synth:aws': 'cdk synth --app "npx tsx infra/app.ts"',
      'deploy:aws': 'cdk deploy --app "npx tsx infra/app.ts"',
      'destroy:aws': 'cdk destroy --app "npx tsx infra/app.ts"',
    },
    dependencies: pin(dependencies),
    devDependencies: pin(devDependencies),
  }
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  const readme = join(dir, 'README.md')
  writeFileSync(readme, readFileSync(readme, 'utf8').replaceAll('{{name}}', name).replaceAll('{{template}}', template))
  return { dir, name, template, files: listFiles(dir).sort() }
}
