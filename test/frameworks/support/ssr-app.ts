import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { delimiter } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '../../helpers/free-port.js'

/** The server-rendered examples, as their folders under examples/. */
export type SsrExampleName = 'next' | 'nuxt' | 'sveltekit'

const root = (path: string): string => fileURLToPath(new URL(`../../../${path}`, import.meta.url))

// what each framework's production build leaves behind
const builtMarker: Record<SsrExampleName, string> = {
  next: '.next/BUILD_ID',
  nuxt: '.output/server/index.mjs',
  sveltekit: 'build/index.js',
}

/** A built example's production server on a free 127.0.0.1 port. */
export interface SsrApp {
  url: string
  close(): Promise<void>
}

/**
 * Builds the example unless CI already did (`npm run build:ssr-examples`, then
 * LIVETOPIC_SSR_PREBUILT=1): the apps import the built @livetopic packages, as a user's app would.
 */
export function ensureBuilt(name: SsrExampleName): void {
  const dir = root(`examples/${name}`)
  if (process.env.LIVETOPIC_SSR_PREBUILT === '1') {
    if (!existsSync(`${dir}/${builtMarker[name]}`)) throw new Error(`examples/${name} is not built: run npm run build:ssr-examples`)
    return
  }
  // the example's own toolchain is no root workspace: installed on first use (scripts/ensure-installed.mjs);
  // a production build, whatever NODE_ENV vitest set ('test' makes Vite resolve esm-env's DEV to true)
  for (const [command, args] of [
    ['node', ['scripts/ensure-installed.mjs', `examples/${name}`]],
    ['npm', ['run', 'build', '--prefix', `examples/${name}`]],
  ] as const) {
    const env = { ...process.env, NODE_ENV: 'production' }
    const result = spawnSync(command, args, { cwd: root(''), encoding: 'utf8', env })
    if (result.status !== 0) throw new Error(`building examples/${name} failed:\n${result.stdout}\n${result.stderr}`)
  }
}

/**
 * Starts the example's `start` script (its production server) with the broker's address in the
 * environment, read by the app on each request, and waits until it answers.
 */
export async function startSsrApp(name: SsrExampleName, broker: { url: string; httpUrl: string }): Promise<SsrApp> {
  const dir = root(`examples/${name}`)
  const script = (JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts.start
  if (!script) throw new Error(`examples/${name} has no start script`)
  const port = await freePort()
  const bin = [`${dir}/node_modules/.bin`, root('node_modules/.bin')].join(delimiter)
  const output: string[] = []
  // its own process group, so that closing kills the shell and the server it started
  const child = spawn('sh', ['-c', script], {
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      HOSTNAME: '127.0.0.1',
      NEXT_TELEMETRY_DISABLED: '1',
      NUXT_TELEMETRY_DISABLED: '1',
      LIVETOPIC_BROKER_URL: broker.url,
      LIVETOPIC_BROKER_HTTP_URL: broker.httpUrl,
    },
  })
  const keep = (chunk: Buffer): void => void output.push(chunk.toString())
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const url = `http://127.0.0.1:${port}/`
  const app = { url, close: () => stop(child) }
  try {
    await waitUntilServing(url, child, output)
  } catch (error) {
    await app.close()
    throw error
  }
  return app
}

async function waitUntilServing(url: string, child: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app's server exited (${child.exitCode}):\n${output.join('')}`)
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) })
      await response.body?.cancel()
      return
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
  throw new Error(`the app's server did not answer on ${url} within 60 s:\n${output.join('')}`)
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  try {
    process.kill(-child.pid, 'SIGTERM')
  } catch {
    return
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL')
    } catch {
      // already gone
    }
  }, 5_000)
  await exited
  clearTimeout(timer)
}
