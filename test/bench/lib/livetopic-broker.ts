import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { buildSync } from 'esbuild'
import { sourceEntries } from '../../helpers/source-entries.js'

const root = fileURLToPath(new URL('../../../', import.meta.url))
let childScript: string | undefined

/**
 * broker-child.ts and the broker's sources as one plain .mjs, built once per benchmark process:
 * the child then starts with plain node in a fraction of a second (tsx and the bundling hooks take
 * seconds on a busy machine, and a restart benchmark waits for it).
 */
function brokerChildScript(): string {
  if (childScript) return childScript
  const dir = `${root}node_modules/.cache/livetopic-bench`
  mkdirSync(dir, { recursive: true })
  const outfile = `${dir}/broker-child-${process.pid}.mjs`
  buildSync({
    entryPoints: [fileURLToPath(new URL('./broker-child.ts', import.meta.url))],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    // the @livetopic packages from their sources (external, they would be read from dist/ at run time)
    alias: sourceEntries(),
    logLevel: 'error',
  })
  process.once('exit', () => rmSync(outfile, { force: true }))
  return (childScript = outfile)
}

/** User + system CPU time of a process, in seconds (Linux /proc/<pid>/stat, in clock ticks of 1/100 s). */
export function cpuSecondsOf(pid: number): number {
  // the command name may hold spaces: fields are counted after its closing parenthesis
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/** @livetopic/broker running in a child process. */
export interface ChildBroker {
  readonly url: string
  readonly port: number
  readonly pid: number
  /** Closes a client's connection from the broker side. */
  drop(clientId: string): void
  /** Resident set size of the broker process, in bytes (Linux /proc). */
  rss(): number
  /** CPU time the broker process has used so far (user + system), in seconds (Linux /proc). */
  cpuSeconds(): number
  close(): Promise<void>
}

/**
 * Starts `startBroker()` in a child process and returns its URL.
 * `port` reuses a port (a restart); `nodeArgs` go to its node (e.g. `--cpu-prof`).
 */
export async function startChildBroker(options: { port?: number; nodeArgs?: string[] } = {}): Promise<ChildBroker> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), brokerChildScript()], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, BROKER_PORT: String(options.port ?? 0) },
  })
  const { url, port } = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const line = out.split('\n').find((l) => l.startsWith('{'))
      if (line) resolve(JSON.parse(line) as { url: string; port: number })
    })
    child.once('exit', (code) => reject(new Error(`broker child exited (${code})`)))
  })
  return {
    url,
    port,
    pid: child.pid!,
    drop: (clientId) => {
      if (child.exitCode === null && !child.stdin.writableEnded) child.stdin.write(`drop ${clientId}\n`)
    },
    cpuSeconds: () => cpuSecondsOf(child.pid!),
    rss: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? Number.NaN) * 1024,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
        child.once('exit', () => {
          clearTimeout(timer)
          resolve()
        })
        child.stdin.end()
      }),
  }
}
