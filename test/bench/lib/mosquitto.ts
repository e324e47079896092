import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../../helpers/free-port.js'
import { cpuSecondsOf } from './livetopic-broker.js'

/** A Mosquitto process started for a benchmark; `close()` stops it and removes its config. */
export interface Mosquitto {
  readonly tcpUrl: string
  readonly wsUrl: string
  /** CPU time Mosquitto has used so far (user + system), in seconds. */
  cpuSeconds(): number
  close(): Promise<void>
}

/** Path of the Mosquitto binary (Debian package). */
const MOSQUITTO_BIN = process.env.MOSQUITTO ?? '/usr/sbin/mosquitto'

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/** Starts Mosquitto on two free 127.0.0.1 ports (TCP + WebSocket) with a temporary config. */
export async function startMosquitto(extraConfig: readonly string[] = []): Promise<Mosquitto> {
  const [tcp, ws] = [await freePort(), await freePort()]
  const dir = mkdtempSync(join(tmpdir(), 'livetopic-bench-mosquitto-'))
  const config = join(dir, 'mosquitto.conf')
  const lines = [
    `listener ${tcp} 127.0.0.1`,
    `listener ${ws} 127.0.0.1`,
    'protocol websockets',
    // without it the WebSocket listener binds every interface
    'socket_domain ipv4',
    'allow_anonymous true',
    // Nagle + delayed ACK otherwise holds small packets (a SUBACK then a retained PUBLISH) ~200 ms
    'set_tcp_nodelay true',
    // so QoS 1 bursts are queued rather than dropped (100,000 exactly drops the last of a 100k backlog)
    'max_queued_messages 200000',
    // a stored session receives its backlog as fast as the client takes it (a 1000-message window,
    // not 20; unlimited makes Mosquitto itself the bottleneck for large QoS 1 backlogs),
    // QoS 0 included: the throughput benchmark pre-loads a session and times the drain
    'max_inflight_messages 1000',
    'queue_qos0_messages true',
    'persistence false',
    // $SYS/broker/subscriptions/count every second (the leak benchmark reads it)
    'sys_interval 1',
    'log_dest none',
  ]
  // run as root, Mosquitto switches to the `mosquitto` user unless told otherwise
  if (process.getuid?.() === 0) lines.push('user root')
  // later lines win in Mosquitto's config
  lines.push(...extraConfig)
  writeFileSync(config, lines.join('\n') + '\n')
  const child: ChildProcess = spawn(MOSQUITTO_BIN, ['-c', config], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const deadline = Date.now() + 5000
  while (!(await accepts(tcp)) || !(await accepts(ws))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
      throw new Error(`mosquitto did not start: ${stderr.trim()}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    tcpUrl: `mqtt://127.0.0.1:${tcp}`,
    wsUrl: `ws://127.0.0.1:${ws}`,
    cpuSeconds: () => cpuSecondsOf(child.pid!),
    async close() {
      if (child.exitCode === null) {
        child.kill('SIGTERM')
        await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))])
        if (child.exitCode === null) child.kill('SIGKILL')
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
