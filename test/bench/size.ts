// Size budgets: min+gzip of each package as a bundler would ship it (esbuild, browser, ES2022),
// with its dependencies external; references measured the same way; and a one-topic page in full.
// Exits non-zero when a budgeted figure is over its budget.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build, type Metafile } from 'esbuild'
import { SOURCE_CONDITION } from '../helpers/source-entries.js'
import { exampleWeight, type ExampleName } from './lib/example-weight.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const KB = 1024

interface Measure {
  name: string
  min: number
  gzip: number
  /** The size the package should have (issue 6); a miss is reported, not fatal. */
  target?: number
  /** The enforced ceiling: over it, `npm run size` fails. Equal to the target once it is met. */
  budget?: number
  note?: string
  metafile?: Metafile
}

/** Bundles `contents` (an entry module's source) and measures it. */
async function measure(
  name: string,
  contents: string,
  external: string[],
  { lambda, ...extra }: { target?: number; budget?: number; note?: string; lambda?: boolean } = {},
): Promise<Measure> {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'ts', sourcefile: `${name}.ts` },
    bundle: true,
    write: false,
    minify: true,
    // a Lambda is bundled as the CDK stack bundles it: Node, CommonJS
    format: lambda ? 'cjs' : 'esm',
    platform: lambda ? 'node' : 'browser',
    target: lambda ? 'node20' : 'es2022',
    metafile: true,
    external,
    // the @livetopic packages from their sources (an external one stays external)
    conditions: [SOURCE_CONDITION],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  })
  const code = result.outputFiles[0]!.contents
  return { name, min: code.length, gzip: gzipSync(code, { level: 9 }).length, metafile: result.metafile, ...extra }
}

const has = (pkg: string): boolean => existsSync(resolve(root, 'node_modules', pkg, 'package.json'))
const kb = (bytes: number): string => `${(bytes / KB).toFixed(2)} kB`

/** The biggest inputs of a bundle, by bytes in the (minified, not gzipped) output. */
function contributors(m: Measure, top = 8): string[] {
  const inputs = Object.values(m.metafile?.outputs ?? {})[0]?.inputs ?? {}
  return Object.entries(inputs)
    .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)
    .slice(0, top)
    .map(([file, { bytesInOutput }]) => `    ${String(bytesInOutput).padStart(7)} B  ${file.replace(/^.*node_modules\//, '')}`)
}

/** Bytes in the output per package (node_modules name, or the livetopic package). */
function byPackage(m: Measure): string[] {
  const inputs = Object.values(m.metafile?.outputs ?? {})[0]?.inputs ?? {}
  const sums = new Map<string, number>()
  for (const [file, { bytesInOutput }] of Object.entries(inputs)) {
    const pkg =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? (/packages\/([^/]+)/.exec(file)?.[1] ? `@livetopic/${/packages\/([^/]+)/.exec(file)![1]}` : file)
    sums.set(pkg, (sums.get(pkg) ?? 0) + bytesInOutput)
  }
  return [...sums]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([pkg, bytes]) => `    ${String(bytes).padStart(7)} B  ${pkg}`)
}

const FRAMEWORKS = [
  'react',
  'react-dom',
  'react/jsx-runtime',
  'vue',
  'svelte',
  'svelte/*',
  'nanostores',
  '@nanostores/*',
  '@livetopic/core',
  '@livetopic/core/*',
]
// core/aws measured 3.66–3.68 kB when SigV4 moved to WebCrypto (11.95 kB before, with smithy): a little headroom;
// 3.80 kB once presence could start from a seeded roster (#16); 3.92 kB with awsIotProfile's connect
// pacing to IoT's quota (#25)
const AWS_BUDGET = 4 * KB
// core/presence measured 3.90 kB on its first version (#23: room, both strategies, core/aws's lifecycle tracker)
const PRESENCE_BUDGET = 4 * KB
const rows: Measure[] = []
const details: string[] = []

// core: every export (the worst case a user can import, the built-in transport included), and
// the transport alone (codec + socket). Core's own code missed its 3 kB target before the
// transport came in (see the contributors below); the enforced ceilings are the sizes measured
// when the budgets were set plus a little, so growth fails CI. Core's own code grew 8.5 → 9.75 kB
// with the state machine, suspect tracker, listener isolation, URL checks and onEvent (#10–#12).
const core = await measure('@livetopic/core (all exports)', `export * from '@livetopic/core'`, ['nanostores'], {
  // 13.38 → 13.81 kB with seeds and topicReady (Suspense) in #16; 13.95 kB once the forbidden-topic
  // inference waited for the reconnect (#11: a restart no longer reads as a refusal); 14.00 kB with
  // the takeover rules that tell restarts and flaky networks from a client-id takeover (#11); 13.95 kB
  // with #private fields in the suspect tracker and seeds (#22); 14.05 kB with the taps and topic
  // list @livetopic/devtools reads (inspectClient, #23); 15.28 kB once issues 22/23 merged: the reader
  // that refuses an oversized packet from its header and survives 1-byte messages (+0.22), the linear
  // publish queue and pure state machine (+0.42), reconnects paced to IoT's connect quota (+0.18),
  // typed publish with its state and conditional topics (+0.22), redaction of malformed URLs, the taps;
  // 15.27 kB once the codec and session shed repeats (decode by a type table, one frame buffer, #22 sizes)
  budget: 15.35 * KB,
  note: 'built-in transport included; nanostores external',
})
rows.push(core)
rows.push(
  await measure('@livetopic/core (createClient only)', `export { createClient } from '@livetopic/core'`, ['nanostores'], { note: 'nanostores external' }),
)
const transport = await measure('built-in transport (codec + socket)', `export { wsTransport } from '@livetopic/core'`, ['nanostores'], {
  target: 4 * KB,
  // 6.05 → 6.33 kB with the hostile-input reader (#22) and the transport split into ws/* (+0.05);
  // 6.39 → 6.29 kB: decode by a type table, properties by kind name, one Writer per frame, CONNECT
  // without conditional spreads (#22 sizes)
  budget: 6.35 * KB,
  note: 'wire/* + ws/* (+ LiveTopicError, redact)',
})
rows.push(transport)
rows.push({
  name: '@livetopic/core without the transport',
  min: core.min - transport.min,
  gzip: core.gzip - transport.gzip,
  note: 'difference of the two rows above (approximate: they share LiveTopicError)',
})
details.push(`@livetopic/core biggest contributors (minified bytes):`, ...contributors(core, 12))

// adapters: framework and core external
for (const adapter of ['react', 'vue', 'svelte']) {
  const entry = `packages/${adapter}/src/index.ts`
  if (!existsSync(resolve(root, entry))) continue
  rows.push(await measure(`@livetopic/${adapter}`, `export * from './${entry}'`, FRAMEWORKS, { target: KB, budget: KB, note: `${adapter} + core external` }))
}

// core/aws: what it adds on top of core. SigV4 signs with WebCrypto, so nothing else comes with it
// (with @smithy/signature-v4 + @aws-crypto/sha256-js it was 11.95 kB).
const both = `export * from '@livetopic/core'; export * from '@livetopic/core/aws'`
const aws = await measure('@livetopic/core/aws', both, ['nanostores'])
rows.push({
  name: '@livetopic/core/aws (added to core)',
  min: aws.min - core.min,
  gzip: aws.gzip - core.gzip,
  budget: AWS_BUDGET,
  note: 'iotSigV4 included: WebCrypto, no dependency',
})

// core/tabs (one connection per browser): what the mode adds on top of core, budgeted (issue 14)
const tabs = await measure('@livetopic/core/tabs', `export * from '@livetopic/core'; export * from '@livetopic/core/tabs'`, ['mqtt', 'nanostores'])
rows.push({
  name: '@livetopic/core/tabs (added to core)',
  min: tabs.min - core.min,
  gzip: tabs.gzip - core.gzip,
  target: 2 * KB,
  budget: 2.45 * KB,
  // issue 22 added message validation, the leader-lock check and SUBSCRIBE batching (~+240 B);
  // #private fields and core's matcher took back ~+30 B of it: 2.48 kB measured; 2.47 → 2.42 kB with one
  // request path for the leader and its followers, the Hub's transport used as is, a UUID per connection
  note: 'shareAcrossTabs(): Web Locks + BroadcastChannel, messages validated (target missed: ceiling = measured + a little)',
})

// core/presence (presence with member state, any broker): what it adds on top of core; the
// lifecycle-event tracker of core/aws comes with it for iotPresence. Ceiling = measured + a little.
const presenceAll = await measure('@livetopic/core/presence', `export * from '@livetopic/core'; export * from '@livetopic/core/presence'`, ['nanostores'])
rows.push({
  name: '@livetopic/core/presence (added to core)',
  min: presenceAll.min - core.min,
  gzip: presenceAll.gzip - core.gzip,
  budget: PRESENCE_BUDGET,
  note: 'presenceRoom + retainedPresence + iotPresence',
})

// @livetopic/devtools: the entry an app imports (mountDevtools; the panel left as its own chunk),
// and the panel chunk it loads on demand in development, core external
const DEVTOOLS_EXTERNAL = ['@livetopic/core', '@livetopic/core/*']
rows.push(
  await measure('@livetopic/devtools (entry)', `export * from './packages/devtools/src/index.ts'`, [...DEVTOOLS_EXTERNAL, './mount.js'], {
    // 0.21 kB measured when written (issue 23); the panel chunk 5.07 kB; 0.32 kB once the panel
    // follows the newest live call whatever order its chunk loads in (StrictMode replaced a client)
    budget: 0.35 * KB,
    note: 'mountDevtools(): the panel is import()ed',
  }),
  await measure('@livetopic/devtools (panel chunk)', `export * from './packages/devtools/src/mount.ts'`, DEVTOOLS_EXTERNAL, {
    budget: 5.5 * KB,
    note: 'loaded on demand, in development only',
  }),
)

// references
if (has('mqtt-react-hooks'))
  rows.push(
    await measure('ref: mqtt-react-hooks', `export * from 'mqtt-react-hooks'`, ['react', 'react-dom', 'react/jsx-runtime', 'mqtt'], {
      note: 'react + mqtt external (mqtt-pattern included)',
    }),
  )
else rows.push({ name: 'ref: mqtt-react-hooks', min: Number.NaN, gzip: Number.NaN, note: 'not installed' })
if (has('@aws-amplify/pubsub'))
  rows.push(
    await measure('ref: @aws-amplify/pubsub', `export * from '@aws-amplify/pubsub'`, [], {
      note: 'everything bundled: it carries its own MQTT client and @aws-amplify/core',
    }),
  )
else rows.push({ name: 'ref: @aws-amplify/pubsub', min: Number.NaN, gzip: Number.NaN, note: 'not installed' })

// MQTT clients: MQTT.js's browser build, and the lightest maintained alternative found on npm
const mqttjs = await measure('MQTT.js (browser build)', `import mqtt from 'mqtt'; export default mqtt`, [], { note: 'what every MQTT.js app ships' })
rows.push(mqttjs)
if (has('u8-mqtt'))
  rows.push(
    await measure('alt client: u8-mqtt (v4 client)', `export * from 'u8-mqtt/esm/web/v4.js'`, [], {
      note: 'zero-dependency MQTT 3.1.1 client, WebSocket + Uint8Array',
    }),
  )

// the whole one-topic page a Vite-like app ships: on the default transport, and on MQTT.js.
// 11.8 kB with the transport on the core of #9; 13.5 kB once core's #10–#12 work landed: the 12 kB
// target is missed by core's growth (README, Size), the ceiling holds it there.
const page = await measure(
  'one-topic page (vanilla, total)',
  `
  import { createClient } from '@livetopic/core'
  const live = createClient({ url: 'wss://example.invalid/mqtt' })
  live.topic('rooms/lobby/messages').subscribe((state) => { document.body.textContent = JSON.stringify(state.data) })
`,
  [],
  // 13.59 → 13.88 kB with seeds (#16); 14.07 → 14.02 kB with #private fields in the suspect tracker and seeds (#22);
  // 14.12 kB with the devtools' taps (#23); 14.81 kB with issues 22/23 merged (see core above);
  // 14.87 → 14.79 kB with the leaner codec and session (transport above)
  { target: 12 * KB, budget: 14.85 * KB, note: 'core + nanostores + built-in transport' },
)
rows.push(page)
details.push(`one-topic page by package (minified bytes):`, ...byPackage(page))
const pageMqttjs = await measure(
  'one-topic page on MQTT.js (vanilla, total)',
  `
  import { createClient } from '@livetopic/core'
  import { mqttTransport } from '@livetopic/core/mqtt'
  const live = createClient({ url: 'wss://example.invalid/mqtt', transport: mqttTransport })
  live.topic('rooms/lobby/messages').subscribe((state) => { document.body.textContent = JSON.stringify(state.data) })
`,
  [],
  { note: 'core + nanostores + MQTT.js browser build (the page before the built-in transport)' },
)
rows.push(pageMqttjs)
if (existsSync(resolve(root, 'packages/react/src/index.ts')) && /useTopic/.test(readFileSync(resolve(root, 'packages/react/src/index.ts'), 'utf8'))) {
  const reactPage = await measure(
    'one-topic page (React, total)',
    `
    import { createElement } from 'react'
    import { createRoot } from 'react-dom/client'
    import { createClient } from '@livetopic/core'
    import * as lt from './packages/react/src/index.ts'
    const live = createClient({ url: 'wss://example.invalid/mqtt' })
    function Lobby() { const { data } = lt.useTopic('rooms/lobby/messages'); return createElement('p', null, JSON.stringify(data)) }
    createRoot(document.body).render(createElement(lt.LiveTopicProvider, { client: live }, createElement(Lobby)))
  `,
    [],
    { note: 'react-dom included' },
  )
  rows.push(reactPage)
  details.push(`React one-topic page by package (minified bytes):`, ...byPackage(reactPage))
}

// Nothing of MQTT.js in a bundle that does not import @livetopic/core/mqtt (esbuild's metafile
// lists every input); and the check must see it where it is imported.
const MQTTJS = /node_modules\/(mqtt|mqtt-packet)\/|packages\/core\/src\/mqtt\//
const inputsOf = (m: Measure): string[] => Object.keys(Object.values(m.metafile?.outputs ?? {})[0]?.inputs ?? {})
let leaks = 0
for (const m of rows.filter((r) => r.metafile && r !== pageMqttjs && r !== mqttjs)) {
  const found = inputsOf(m).filter((file) => MQTTJS.test(file))
  if (found.length > 0) {
    leaks++
    console.error(`MQTT.js found in "${m.name}": ${found.slice(0, 3).join(', ')}`)
  }
}
if (!inputsOf(pageMqttjs).some((file) => /node_modules\/mqtt\//.test(file))) {
  leaks++
  console.error('the MQTT.js page does not contain MQTT.js: the leak check sees nothing')
}
details.push(`MQTT.js in bundles without @livetopic/core/mqtt: ${leaks === 0 ? 'none (esbuild metafile inputs checked)' : `${leaks} LEAK(S)`}`)

// Likewise the AWS SDK: only @livetopic/core/aws/server (readRetained, server code) imports it.
// That entry is bundled here only to prove the check sees the SDK where it is imported.
const AWS_SDK = /node_modules\/@(aws-sdk|smithy)\/|packages\/core\/src\/aws\/server\//
const awsServer = await measure('@livetopic/core/aws/server', `export * from '@livetopic/core/aws/server'`, ['nanostores'])
let sdkLeaks = 0
// (the references are not ours: @aws-amplify/pubsub carries @smithy packages)
for (const m of rows.filter((r) => r.metafile && !r.name.startsWith('ref: '))) {
  const found = inputsOf(m).filter((file) => AWS_SDK.test(file))
  if (found.length > 0) {
    sdkLeaks++
    console.error(`the AWS SDK found in "${m.name}": ${found.slice(0, 3).join(', ')}`)
  }
}
if (!inputsOf(awsServer).some((file) => /node_modules\/@aws-sdk\//.test(file))) {
  sdkLeaks++
  console.error('the @livetopic/core/aws/server bundle does not contain the AWS SDK: the leak check sees nothing')
}
details.push(`AWS SDK in browser bundles: ${sdkLeaks === 0 ? 'none (esbuild metafile inputs checked)' : `${sdkLeaks} LEAK(S)`}`)

// the custom authorizer Lambda (issue 21): jwtAuthorizer on aws-jwt-verify, and the example's on it.
// 7.88 kB measured for the example's when it was written: the ceiling is that plus a little.
rows.push(
  await measure('Lambda: jwtAuthorizer (@livetopic/core/aws/authorizer)', `export { jwtAuthorizer } from '@livetopic/core/aws/authorizer'`, [], {
    lambda: true,
    note: 'node, cjs; aws-jwt-verify included',
  }),
)
rows.push(
  await measure('Lambda: the example authorizer', `export { handler } from './examples/shared/authorizer.ts'`, [], {
    lambda: true,
    budget: 8.5 * KB,
    note: 'examples/shared/authorizer.ts as deployed: JWT + device secret + policy',
  }),
)

// the example apps, built by Vite as a user would; --compare also builds them on MQTT.js
const EXAMPLE_BUDGETS: Record<ExampleName, { target?: number; budget: number }> = {
  // react-dom alone is ~65 kB gzip of it: the target is missed by the app's own code (README)
  // budgets: the measured size plus a little, since the examples also share one connection per
  // browser (@livetopic/core/tabs, ~2.3 kB) and read a deployed config (examples/aws)
  // issue 21: +2.2 kB each for the sign-in kept per browser (examples/shared/auth-session.ts, the
  // dev and the Cognito PKCE sign-in; fetch + WebCrypto, no auth SDK): 93.31 → 95.52, 53.08 → 55.22,
  // 43.09 → 45.34 kB
  // issue 22: 95.70 → 89.83, 55.40 → 47.71, 45.55 → 39.28 kB: the tabs entry no longer measured from
  // dist (a second copy of core, −5.3 kB), the sign-in flows on demand (−0.3), no module-preload
  // polyfill (−0.25), Svelte all runes (−0.5), Vue without the Options API (−1.8)
  // issues 22/23/25: 89.83 → 94.27, 47.71 → 52.25, 39.28 → 43.67 kB: presence with member state and the
  // status the roster shows (+2.2–2.5), MQTT 5 and awsIotProfile in the session (+0.9), publish state in
  // the chat, core's growth above
  // #22 sizes: 94.34 → 94.20, 52.31 → 52.16, 43.72 → 43.58 kB with the leaner tabs, codec and session
  react: { target: 80 * KB, budget: 94.3 * KB },
  vue: { budget: 52.3 * KB },
  // 43.03 kB with #16's seeds and #11's suspect tracking; 45.55 kB with the names in client ids and
  // one entry per user in "who is online" (issue 21, clean-clone CI)
  svelte: { target: 35 * KB, budget: 43.7 * KB },
}
// what a visitor already signed in never runs: it must stay out of the page (loaded on demand)
const ON_DEMAND = ['cognito-sign-in', 'dev-sign-in']
let eager = 0
for (const name of ['react', 'vue', 'svelte'] as const) {
  const weight = await exampleWeight(name)
  rows.push({
    name: `${name} example page (Vite build)`,
    min: weight.raw,
    gzip: weight.gzip,
    ...EXAMPLE_BUDGETS[name],
    note: `what loading the page fetches (HTML, JS, CSS); min column = raw bytes${
      weight.lazyFiles.length > 0 ? `; + ${kb(weight.lazyGzip)} in ${weight.lazyFiles.length} chunk(s) loaded on demand` : ''
    }`,
  })
  // the examples mount @livetopic/devtools in dev only: a production build has none of it
  if (weight.devtools) {
    eager++
    console.error(`${name} example: its production build carries @livetopic/devtools`)
  }
  for (const flow of ON_DEMAND.filter((f) => !weight.lazyFiles.some((file) => file.includes(`${f}-`)))) {
    eager++
    console.error(`${name} example: ${flow} is part of the page, not a chunk loaded on demand`)
  }
  if (process.argv.includes('--compare')) {
    const before = await exampleWeight(name, 'mqttjs')
    rows.push({ name: `${name} example page on MQTT.js (Vite build)`, min: before.raw, gzip: before.gzip, note: 'the same app with mqttTransport' })
  }
}

let over = 0
const width = Math.max(...rows.map((r) => r.name.length))
console.log(`${'bundle'.padEnd(width)}  ${'min'.padStart(9)}  ${'min+gzip'.padStart(9)}  ${'target'.padEnd(16)}  ${'budget (enforced)'.padEnd(17)}  note`)
for (const r of rows) {
  const target = r.target === undefined ? '' : `≤ ${kb(r.target)} ${r.gzip <= r.target ? 'ok' : 'MISSED'}`
  const budget = r.budget === undefined ? '' : `≤ ${kb(r.budget)} ${r.gzip <= r.budget ? 'ok' : 'OVER'}`
  if (r.budget !== undefined && r.gzip > r.budget) over++
  const fmt = (n: number): string => (Number.isNaN(n) ? '—' : kb(n)).padStart(9)
  console.log(`${r.name.padEnd(width)}  ${fmt(r.min)}  ${fmt(r.gzip)}  ${target.padEnd(16)}  ${budget.padEnd(17)}  ${r.note ?? ''}`)
}
console.log(`\n${details.join('\n')}`)
// `--json <file>`: the rows as data, for the docs' generated size page (docs/scripts/figures.ts)
const jsonArg = process.argv.indexOf('--json')
if (jsonArg > 0 && process.argv[jsonArg + 1]) {
  const measured = rows.map(({ name, min, gzip, target, budget, note }) => ({ name, min, gzip, target, budget, note }))
  writeFileSync(resolve(process.argv[jsonArg + 1]!), JSON.stringify({ date: new Date().toISOString(), node: process.version, rows: measured }, null, 2) + '\n')
}
if (over > 0 || leaks > 0 || sdkLeaks > 0 || eager > 0) {
  if (over > 0) console.error(`\n${over} bundle(s) over their enforced budget`)
  if (eager > 0) console.error(`\n${eager} sign-in flow(s) loaded with an example page instead of on demand`)
  if (leaks > 0) console.error(`\nMQTT.js leaked into ${leaks} bundle(s) that do not import @livetopic/core/mqtt`)
  if (sdkLeaks > 0) console.error(`\nthe AWS SDK leaked into ${sdkLeaks} browser bundle(s)`)
  process.exit(1)
}
console.log('\nall bundles within their enforced budgets')
