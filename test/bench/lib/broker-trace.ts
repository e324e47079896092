// BENCH_TRACE=<file>: what the broker child does with each inbox message of the soak, one line per
// step (publish, stored, matched, sent, acknowledged, refused), and each connection's resume, so a
// message the soak reports lost can be followed through the broker. Off by default: it costs time.
import { createWriteStream } from 'node:fs'
import type { Aedes, Client } from 'aedes'

interface Traced {
  topic?: string
  payload?: Buffer | string
  brokerCounter?: number
  messageId?: number
}

type Listener = (packet: Traced, callback: () => void) => void

const INBOX = 'soak/inbox/'

export function traceBroker(aedes: Aedes, file: string): () => Promise<void> {
  const out = createWriteStream(file, { flags: 'a' })
  const serials = new WeakMap<object, number>()
  let serial = 0
  const who = (client: Client | null | undefined): string => {
    if (!client) return '-'
    if (!serials.has(client)) serials.set(client, ++serial)
    return `${client.id}#${serials.get(client)}`
  }
  const line = (text: string): void => void out.write(`${Date.now()} ${text}\n`)
  const inbox = (p: Traced | undefined): boolean => typeof p?.topic === 'string' && p.topic.startsWith(INBOX)
  const id = (p: Traced): string => `${String(p.payload)} c=${p.brokerCounter}`

  const persistence = (aedes as unknown as { persistence: Record<string, (...args: never[]) => Promise<unknown>> }).persistence
  const wrap = (name: string, before: (args: unknown[]) => void, after?: (args: unknown[], result: unknown, error?: unknown) => void): void => {
    const original = persistence[name]!.bind(persistence) as (...args: unknown[]) => Promise<unknown>
    persistence[name] = (...args: unknown[]) => {
      before(args)
      return original(...args).then(
        (result) => {
          after?.(args, result)
          return result
        },
        (error: unknown) => {
          after?.(args, undefined, error)
          throw error
        },
      )
    }
  }
  wrap('outgoingEnqueueCombi', ([subs, packet]) => {
    const p = packet as Traced
    if (inbox(p)) line(`enq ${id(p)} to=${(subs as { clientId: string }[]).map((s) => s.clientId).join(',')}`)
  })
  wrap(
    'outgoingUpdate',
    () => {},
    ([client, packet], _result, error) => {
      const p = packet as Traced
      if (inbox(p) || error) line(`upd ${id(p)} ${who(client as Client)} mid=${p.messageId}${error ? ` ERROR ${(error as Error).message}` : ''}`)
    },
  )
  wrap(
    'outgoingClearMessageId',
    () => {},
    ([client, packet], result) => {
      const removed = result as Traced | undefined
      const asked = packet as Traced
      if (inbox(removed) || inbox(asked))
        line(`clr ${who(client as Client)} mid=${asked.messageId}${inbox(asked) ? ` asked=${id(asked)}` : ''} removed=${removed ? id(removed) : 'nothing'}`)
    },
  )

  const authorizeForward = aedes.authorizeForward.bind(aedes)
  aedes.authorizeForward = (client, packet) => {
    const result = authorizeForward(client, packet)
    if (inbox(packet) && !result) line(`nofwd ${id(packet)} ${who(client)} closed=${client.closed}`)
    return result
  }

  // each subscription's listener: a message that reaches it but neither goes out nor is refused
  // above was held and dropped (resume-order.ts) or taken for a duplicate (aedes' dedupe)
  const wrapped = new WeakMap<Listener, Listener>()
  const mq = aedes as unknown as {
    subscribe(topic: string, func: Listener, done: () => void): void
    unsubscribe(topic: string, func: Listener, done?: () => void): void
  }
  const subscribe = mq.subscribe.bind(aedes)
  const unsubscribe = mq.unsubscribe.bind(aedes)
  mq.subscribe = (topic, func, done) => {
    if (!topic.startsWith(INBOX)) return subscribe(topic, func, done)
    const listener: Listener = (packet, callback) => {
      line(`mq ${id(packet)} listener-of=${topic}`)
      func(packet, callback)
    }
    wrapped.set(func, listener)
    line(`sub ${topic}`)
    subscribe(topic, listener, done)
  }
  mq.unsubscribe = (topic, func, done) => {
    if (topic.startsWith(INBOX)) line(`unsub ${topic}`)
    unsubscribe(topic, wrapped.get(func) ?? func, done)
  }

  const preConnect = aedes.preConnect.bind(aedes)
  aedes.preConnect = (client, packet, callback) => {
    line(`connect ${packet.clientId}#${(serials.set(client, ++serial), serial)} clean=${packet.clean}`)
    client.conn.once('close', () => line(`closed ${who(client)}`))
    preConnect(client, packet, callback)
    // aedes drops a live delivery whose broker counter is not above the highest it forwarded to
    // this connection (its dedupe): every raise is logged, with where it came from while resuming
    const readyFor = client as Client & { duplicates: Record<string, number>; connected: boolean }
    readyFor.duplicates = new Proxy(readyFor.duplicates, {
      set(target, key, value: number) {
        if (!readyFor.connected && !readyFor.closed)
          line(`dedupe-raised-before-ready ${who(client)} c=${value} ${new Error().stack?.split('\n').slice(2, 9).join(' < ')}`)
        else line(`dedupe ${who(client)} c=${value}`)
        target[key as string] = value
        return true
      },
    })
  }
  aedes.on('publish', (packet, client) => {
    if (inbox(packet)) line(`pub ${id(packet)} from=${who(client)}`)
  })
  aedes.on('clientReady', (client) => line(`ready ${who(client)}`))
  aedes.on('clientDisconnect', (client) => line(`unregistered ${who(client)}`))
  aedes.on('clientError', (client, error) => line(`error ${who(client)} ${error.message}`))
  return () => new Promise((resolve) => out.end(resolve))
}
