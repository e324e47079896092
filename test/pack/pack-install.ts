// Packs every package as npm would publish it, installs the tarballs into a fresh Vite app in the
// OS temp dir (outside the workspace: no hoisted node_modules, no path aliases), then type-checks
// it with `tsc --noEmit` and builds it with `vite build`. Run after `npm run build`:
//   npm run test:pack          (CI: its own step in .ci/run; needs the npm registry)
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import assert from 'node:assert/strict'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const PACKAGES = ['iot', 'core', 'react', 'vue', 'svelte', 'devtools', 'broker', 'aws-cdk', 'create-livetopic']
// the app installs these; @livetopic/aws-cdk is packed and checked, not installed (it is CDK app code, and aws-cdk-lib is large)
const INSTALLED = new Set(['iot', 'core', 'react', 'vue', 'svelte', 'devtools', 'broker'])
const version = (pkg: string): string => (JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version
const run = (cmd: string, args: string[], cwd: string): string => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
// tools whose findings go to stdout: show them
const show = (cmd: string, args: string[], cwd: string): void => void execFileSync(cmd, args, { cwd, stdio: 'inherit' })

// The app: typed topics through a Register map, each adapter used as its README shows.
const APP: Record<string, string> = {
  'tsconfig.json': JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      lib: ['ES2022', 'DOM'],
      strict: true,
      jsx: 'react-jsx',
      skipLibCheck: false,
      noEmit: true,
      types: ['node'],
    },
    include: ['src/**/*.ts', 'src/**/*.tsx'],
  }),
  'vite.config.ts': `import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import vue from '@vitejs/plugin-vue'
import { svelte } from '@sveltejs/vite-plugin-svelte'
// three frameworks in one page: one big chunk is expected
export default defineConfig({ plugins: [react(), vue(), svelte()], build: { chunkSizeWarningLimit: 2000 } })
`,
  'index.html': `<!doctype html><html><body><div id="react"></div><div id="vue"></div><div id="svelte"></div><script type="module" src="/src/main.ts"></script></body></html>`,
  'src/topics.ts': `import { createClient, type RegisteredTopics } from '@livetopic/core'
import { iotSigV4 } from '@livetopic/core/aws'
export interface Chat { text: string }
declare module '@livetopic/core' {
  interface Register { topics: { 'rooms/+room/messages': Chat } }
}
export const live = createClient<RegisteredTopics>({ url: 'ws://127.0.0.1:9/mqtt' })
export const signed = iotSigV4({ endpoint: 'example-ats.iot.us-east-1.amazonaws.com', region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } })
`,
  'src/react.tsx': `import { LiveTopicProvider, useTopic } from '@livetopic/react'
import { createRoot } from 'react-dom/client'
import { live } from './topics.js'
function Room() {
  const { data, message } = useTopic('rooms/+room/messages')
  const room: string | undefined = message?.params.room
  const text: string | undefined = data?.text
  return <p>{room}: {text}</p>
}
export const mountReact = (el: HTMLElement): void => createRoot(el).render(<LiveTopicProvider client={live}><Room /></LiveTopicProvider>)
`,
  'src/vue.ts': `import { createApp, defineComponent, h } from 'vue'
import { liveTopic, useTopic } from '@livetopic/vue'
import { live } from './topics.js'
const Room = defineComponent(() => {
  const chat = useTopic('rooms/+room/messages')
  return () => h('p', \`\${chat.value.message?.params.room ?? ''}: \${chat.value.data?.text ?? ''}\`)
})
export const mountVue = (el: HTMLElement): void => void createApp(Room).use(liveTopic(live)).mount(el)
`,
  'src/Room.svelte': `<script lang="ts">
  import { topic } from '@livetopic/svelte'
  const chat = topic('rooms/+room/messages')
</script>
<p>{$chat.message?.params.room}: {$chat.data?.text}</p>
`,
  'src/App.svelte': `<script lang="ts">
  import { setLiveTopicClient } from '@livetopic/svelte'
  import { live } from './topics.js'
  import Room from './Room.svelte'
  setLiveTopicClient(live)
</script>
<Room />
`,
  'src/svelte.ts': `import { mount } from 'svelte'
import { topic } from '@livetopic/svelte'
import type { TopicStore } from '@livetopic/core'
import type { Chat } from './topics.js'
import App from './App.svelte'
// the helper's types, checked by tsc (the .svelte files are compiled by the Vite plugin)
export const typed = (): TopicStore<Chat, 'rooms/+room/messages'> => topic('rooms/+room/messages')
export const mountSvelte = (el: HTMLElement): void => void mount(App, { target: el })
`,
  'src/broker.ts': `// Node side: the stand-in broker's published types
import { startBroker } from '@livetopic/broker'
export const start = (): ReturnType<typeof startBroker> => startBroker({ port: 0 })
`,
  'src/main.ts': `import { mountDevtools } from '@livetopic/devtools'
import { mountReact } from './react.js'
import { mountVue } from './vue.js'
import { mountSvelte } from './svelte.js'
import { live } from './topics.js'
// a no-op in this production build: the panel's chunk is never loaded
mountDevtools(live, { shortcut: 'Alt+Shift+D' })
mountReact(document.getElementById('react')!)
mountVue(document.getElementById('vue')!)
mountSvelte(document.getElementById('svelte')!)
`,
}

const work = mkdtempSync(join(tmpdir(), 'livetopic-pack-'))
const tarballs = join(work, 'tarballs')
const app = join(work, 'app')
mkdirSync(tarballs)
mkdirSync(join(app, 'src'), { recursive: true })

try {
  // 1. pack: every tarball holds its README, LICENSE, package.json and built ESM + CJS + types
  const files: Record<string, string> = {}
  for (const name of PACKAGES) {
    const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', tarballs], join(root, 'packages', name))) as {
      filename: string
      files: { path: string }[]
    }[]
    assert.ok(packed, `npm pack gave nothing for ${name}`)
    const paths = packed.files.map((f) => f.path)
    for (const required of ['README.md', 'LICENSE', 'package.json', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts'])
      assert.ok(paths.includes(required), `@livetopic/${name} tarball lacks ${required} (has ${paths.join(', ')})`)
    if (INSTALLED.has(name)) files[`@livetopic/${name}`] = `file:${join(tarballs, packed.filename)}`
    console.log(`packed @livetopic/${name}: ${paths.length} files`)
  }

  // 2. a Vite app with all three frameworks, installed from the tarballs and the registry
  const dev = [
    'vite',
    '@vitejs/plugin-react',
    '@vitejs/plugin-vue',
    '@sveltejs/vite-plugin-svelte',
    'typescript',
    '@types/react',
    '@types/react-dom',
    '@types/node',
  ]
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify(
      {
        name: 'livetopic-pack-check',
        private: true,
        type: 'module',
        dependencies: { ...files, ...Object.fromEntries(['react', 'react-dom', 'vue', 'svelte'].map((p) => [p, version(p)])) },
        devDependencies: Object.fromEntries(dev.map((p) => [p, version(p)])),
      },
      null,
      2,
    ),
  )
  for (const [file, text] of Object.entries(APP)) writeFileSync(join(app, file), text)
  const started = Date.now()
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], app)
  console.log(`npm install in ${app}: ${((Date.now() - started) / 1000).toFixed(1)} s`)

  // 3. type-check against the published .d.ts files, then build for the browser
  show('npx', ['tsc', '--noEmit', '-p', '.'], app)
  console.log('tsc --noEmit: ok')
  show('npx', ['vite', 'build', '--logLevel', 'warn'], app)
  const assets = readdirSync(join(app, 'dist', 'assets')).filter((f) => f.endsWith('.js'))
  const bundle = assets.map((f) => readFileSync(join(app, 'dist', 'assets', f), 'utf8')).join('\n')
  assert.match(bundle, /no livetopic client/, 'the adapters are in the bundle')
  assert.match(bundle, /AWS4-HMAC-SHA256/, '@livetopic/core/aws is in the bundle')
  console.log(`vite build: ok (${assets.join(', ')})`)

  // 4. CommonJS: core, its subpaths and the React and Vue adapters load with Node's require(esm) turned
  // off (Jest's loader, older Node): the CJS build carries its own nanostores, which is ESM-only. The Svelte
  // adapter (svelte is ESM-only) and the broker (aedes 2, jose) need require(esm), on by default since Node 20.19.
  const requireAll = (ids: string[], flags: string[]): void =>
    show('node', [...flags, '-e', `for (const id of ${JSON.stringify(ids)}) require(id); console.log('required', ${ids.length})`], app)
  const CJS_STRICT = ['@livetopic/iot', '@livetopic/core', '@livetopic/core/aws', '@livetopic/core/tabs', '@livetopic/react', '@livetopic/vue']
  requireAll(CJS_STRICT, ['--no-experimental-require-module'])
  requireAll([...CJS_STRICT, '@livetopic/svelte', '@livetopic/broker'], [])
  const imported = [...CJS_STRICT, '@livetopic/svelte', '@livetopic/broker']
  show(
    'node',
    ['--input-type=module', '-e', `for (const id of ${JSON.stringify(imported)}) await import(id); console.log('imported', ${imported.length})`],
    app,
  )
} finally {
  if (process.env.KEEP_PACK_APP) console.log(`kept ${work}`)
  else rmSync(work, { recursive: true, force: true })
}
