import { readFileSync } from 'node:fs'
import { defineConfig, type Options } from 'tsup'

// The build runs from the root, so tsup cannot see each package's dependencies: list them here.
function externals(pkg: string): RegExp[] {
  const manifest = JSON.parse(readFileSync(`packages/${pkg}/package.json`, 'utf8')) as Record<string, Record<string, string> | undefined>
  const names = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]
  return names.map((name) => new RegExp(`^${name.replace(/[/.]/g, '\\$&')}(/.*)?$`))
}

// One build for every package: ESM + CJS + .d.ts/.d.cts, with dependencies left external.
const library = (pkg: string, entry: Record<string, string>, extra: Partial<Options> = {}): Options => ({
  name: pkg,
  entry: Object.fromEntries(Object.entries(entry).map(([name, file]) => [name, `packages/${pkg}/src/${file}`])),
  outDir: `packages/${pkg}/dist`,
  format: ['esm', 'cjs'],
  dts: true,
  // not `clean`: configs run in parallel and one's clean could delete another's output
  // (the build script empties every dist/ first)
  clean: false,
  sourcemap: true,
  target: 'es2022',
  treeshake: true,
  tsconfig: 'tsconfig.build.json',
  external: externals(pkg),
  ...extra,
})

const CORE_ENTRIES = {
  index: 'index.ts',
  aws: 'aws/index.ts',
  'aws/server': 'aws/server/index.ts',
  'aws/authorizer': 'aws/authorizer/index.ts',
  internal: 'internal.ts',
  mqtt: 'mqtt/index.ts',
  tabs: 'tabs/index.ts',
  presence: 'presence/index.ts',
}

export default defineConfig([
  // quotas, topic limits and rule checks shared by core, the broker and the CDK construct
  library('iot', { index: 'index.ts', 'signing-keys': 'signing-keys.ts' }),
  // splitting for CJS too: aws.cjs must share index.cjs's LiveTopicError, not carry a copy
  // aws/server (readRetained, Node) imports the AWS SDK, an optional peer: never part of a browser bundle
  // aws/authorizer (jwtAuthorizer, a Lambda) imports aws-jwt-verify, an optional peer: nothing else
  library('core', CORE_ENTRIES, { splitting: true, format: ['esm'] }),
  // nanostores is ESM-only: the CJS build carries its own copy, so `require('@livetopic/core')` works
  // without Node's require(esm) (Jest's loader, --no-experimental-require-module). Stores are plain
  // objects, so they still work with any nanostores-aware code.
  library('core', CORE_ENTRIES, {
    name: 'core-cjs',
    splitting: true,
    format: ['cjs'],
    external: externals('core').filter((name) => !name.test('nanostores')),
    noExternal: ['nanostores'],
  }),
  // shims: the dashboard route finds its files from import.meta.url, in the CJS build too
  library('broker', { index: 'index.ts' }, { platform: 'node', shims: true }),
  {
    ...library('broker', { cli: 'cli.ts' }, { platform: 'node', shims: true }),
    format: ['esm'],
    dts: false,
  },
  {
    // the broker's dashboard page is a livetopic client: core (built-in transport) and nanostores in one browser file
    name: 'dashboard',
    entry: { livetopic: 'packages/core/src/index.ts' },
    outDir: 'packages/broker/dist/dashboard',
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    minify: true,
    noExternal: [/.*/],
    dts: false,
    clean: false,
  },
  // React Server Components: the provider and hooks are client code; without the directive a server
  // component importing the provider fails on createContext (Next.js App Router)
  // (tsup's rollup tree-shaking pass drops module directives: esbuild's own is enough here)
  library('react', { index: 'index.ts' }, { banner: { js: "'use client'" }, treeshake: false }),
  library('vue', { index: 'index.ts' }),
  // the panel (mount.ts) is its own chunk, loaded by mountDevtools on demand: splitting keeps it apart
  library('devtools', { index: 'index.ts' }, { splitting: true }),
  // runes: Svelte 5 only (svelte/reactivity); the main entry keeps working with Svelte 4
  library('svelte', { index: 'index.ts', runes: 'runes.ts' }),
  // aws-cdk-lib, constructs, esbuild and @livetopic/iot stay external (peers + dependencies);
  // shims: the esbuild check resolves from import.meta.url, in the CJS build too
  library('aws-cdk', { index: 'index.ts' }, { platform: 'node', shims: true }),
  // the starter finds its templates/ from import.meta.url, in the CJS build too
  library('create-livetopic', { index: 'index.ts' }, { platform: 'node', shims: true }),
  {
    ...library('create-livetopic', { cli: 'cli.ts' }, { platform: 'node' }),
    format: ['esm'],
    dts: false,
  },
])
