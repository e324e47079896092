import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** @livetopic/broker running in a child process. */
export interface ChildBroker {
  readonly url: string
  close(): Promise<void>
}

/** Starts `startBroker()` in a child process (same loader hooks as this one) and returns its URL. */
export async function startChildBroker(): Promise<ChildBroker> {
  const child = spawn(process.execPath, [...process.execArgv.filter((a) => a !== '--expose-gc'), fileURLToPath(new URL('./broker-child.ts', import.meta.url))], {
    stdio: ['pipe', 'pipe', 'ignore'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const line = out.split('\n').find((l) => l.startsWith('{'))
      if (line) resolve((JSON.parse(line) as { url: string }).url)
    })
    child.once('exit', (code) => reject(new Error(`broker child exited (${code})`)))
  })
  return {
    url,
    close: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve()
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
      child.once('exit', () => { clearTimeout(timer); resolve() })
      child.stdin.end()
    }),
  }
}
