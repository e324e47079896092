import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** Handle on the publisher child process. */
export interface Publisher {
  /** Publishes `count` messages of about `size` bytes; resolves once the broker has routed them all. */
  publish(topic: string, count: number, qos: 0 | 1, size?: number): Promise<void>
  close(): void
}

/** Forks a raw MQTT.js publisher connected to `url` (TCP). */
export async function startPublisher(url: string): Promise<Publisher> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./publisher-child.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  // one answer per request, in order
  const waiting: { resolve: (m: Record<string, unknown>) => void; reject: (e: Error) => void }[] = []
  child.on('message', (m) => waiting.shift()?.resolve(m as Record<string, unknown>))
  child.once('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`publisher exited (${code})`))
  })
  const next = (): Promise<Record<string, unknown>> => new Promise((resolve, reject) => waiting.push({ resolve, reject }))
  const ready = next()
  child.send({ url })
  const first = await ready
  if (first.error) throw new Error(`publisher: ${typeof first.error === 'string' ? first.error : JSON.stringify(first.error)}`)
  return {
    async publish(topic, count, qos, size = 100) {
      const done = next()
      child.send({ topic, count, qos, size })
      await done
    },
    close() {
      child.disconnect()
    },
  }
}
