import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** What the source child streams: `count` QoS 0 PUBLISH packets to `topic`, with payloads of `size` bytes. */
export interface SourceSetup {
  topic: string
  count: number
  size: number
  /** Bytes per WebSocket message: as many whole packets as fit, at least one (0: one packet a message). */
  messageBytes: number
}

/** One stream the source served: how many messages, and the CPU time the source spent on it. */
export interface StreamReport {
  messages: number
  cpuMicros: number
}

/** Handle on the source child (source-child.ts). */
export interface Source {
  /** `ws://127.0.0.1:<port>/mqtt` */
  readonly url: string
  /** Length of each PUBLISH packet on the wire (all are one length). */
  readonly packetBytes: number
  /** Resolves with the report of the next stream the source finishes, in order (already finished ones first). */
  nextStream(): Promise<StreamReport>
  /** Disconnects the child and resolves once it exited. */
  close(): Promise<void>
}

type FromChild = { url: string; packetBytes: number } | { streamed: StreamReport; error?: string } | { error: string }

/** Forks the source child with `setup`; resolves once it listens (with its packets encoded). */
export async function startSource(setup: SourceSetup): Promise<Source> {
  const child = fork(fileURLToPath(new URL('./source-child.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const reports: StreamReport[] = []
  const waiting: { resolve: (r: StreamReport) => void; reject: (e: Error) => void }[] = []
  let failure: Error | undefined
  const fail = (error: Error): void => {
    failure ??= error
    for (const w of waiting.splice(0)) w.reject(failure)
  }
  child.once('exit', (code, signal) => fail(new Error(`the source child exited (${code ?? signal})`)))
  child.on('error', fail)
  const ready = new Promise<{ url: string; packetBytes: number }>((resolve, reject) => {
    child.on('message', (m: FromChild) => {
      if ('url' in m) return resolve(m)
      if ('streamed' in m) {
        if (m.error) return fail(new Error(`the source's stream failed: ${m.error}`))
        const w = waiting.shift()
        if (w) w.resolve(m.streamed)
        else reports.push(m.streamed)
        return
      }
      reject(new Error(`source: ${m.error}`))
      fail(new Error(`source: ${m.error}`))
    })
    child.once('exit', (code, signal) => reject(new Error(`the source child exited (${code ?? signal}) early`)))
    child.once('error', reject)
  })
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      if (child.connected) child.disconnect()
      else child.kill()
      await exited
    }
  }
  child.send(setup)
  const { url, packetBytes } = await ready.catch(async (error: unknown) => {
    await close()
    throw error
  })
  return {
    url,
    packetBytes,
    nextStream: () => {
      const finished = reports.shift()
      if (finished) return Promise.resolve(finished)
      if (failure) return Promise.reject(failure)
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }))
    },
    close,
  }
}
