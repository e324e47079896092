import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { freePort } from './free-port.js'

/** Options of {@link startMosquitto}. */
export interface MosquittoOptions {
  /** Keep sessions and queued QoS 1 messages in a file across restarts (saved after every change). */
  persistence?: boolean
  /**
   * Contents of an ACL file (`topic read|write|readwrite <filter>` lines apply to anonymous clients).
   * Mosquitto 2.0.11 never refuses a SUBSCRIBE from an ACL file: it grants it and filters on delivery.
   */
  acl?: string
  /**
   * Config of the dynamic-security plugin (its JSON file). Unlike `acl`, its `subscribePattern`
   * ACLs refuse a SUBSCRIBE (0x80 / 0x87). Give anonymous clients a group with `anonymousGroup`.
   */
  dynamicSecurity?: unknown
  /** Extra config lines, appended as they are. */
  extra?: string[]
}

/** A Mosquitto 2.0 process on 127.0.0.1: a TCP and a WebSocket listener on free ports. */
export interface RunningMosquitto {
  /** MQTT over WebSocket, e.g. `ws://127.0.0.1:41234/mqtt`. */
  readonly url: string
  /** Plain MQTT over TCP, e.g. `mqtt://127.0.0.1:41235`. */
  readonly mqttUrl: string
  readonly wsPort: number
  readonly tcpPort: number
  /** Stops the process with `signal` (SIGKILL: a crash, no goodbye and no final save). */
  kill(signal?: NodeJS.Signals): Promise<void>
  /** Starts it again on the same ports with the same config (and persistence file). */
  restart(): Promise<void>
  /** Kills the process and removes the temp config dir. */
  stop(): Promise<void>
  /** What Mosquitto logged so far (for failure messages). */
  log(): string
}

const all = new Set<RunningMosquitto>()
const MOSQUITTO = process.env.MOSQUITTO_BIN ?? '/usr/sbin/mosquitto'

// shipped by Debian's mosquitto package under the multiarch lib dir
function dynamicSecurityPlugin(): string {
  const candidates = ['x86_64-linux-gnu', 'aarch64-linux-gnu'].map((arch) => `/usr/lib/${arch}/mosquitto_dynamic_security.so`)
  const found = candidates.find((path) => existsSync(path))
  if (!found) throw new Error(`mosquitto_dynamic_security.so not found in ${candidates.join(', ')}`)
  return found
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/** Starts Mosquitto from apt with a config written to a temp dir; killed after the test file's suite. */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<RunningMosquitto> {
  const dir = await mkdtemp(join(tmpdir(), 'livetopic-mosquitto-'))
  const [tcpPort, wsPort] = [await freePort(), await freePort()]
  const config = [
    // Mosquitto refuses a config with only WebSocket listeners, so keep a TCP one too
    `listener ${tcpPort} 127.0.0.1`,
    `listener ${wsPort} 127.0.0.1`,
    'protocol websockets',
    // without it the WebSocket listener binds every interface
    'socket_domain ipv4',
    'allow_anonymous true',
    // run as root it would switch to the `mosquitto` user, which cannot read our temp dir
    ...(process.getuid?.() === 0 ? ['user root'] : []),
    'max_queued_messages 100000',
    'max_inflight_messages 0',
    'log_dest stdout',
    'log_type error',
    'log_type warning',
    'log_type notice',
    ...(options.persistence
      ? ['persistence true', `persistence_location ${dir}/`, 'persistence_file mosquitto.db', 'autosave_on_changes true', 'autosave_interval 1']
      : ['persistence false']),
    ...(options.acl === undefined ? [] : [`acl_file ${join(dir, 'acl')}`]),
    ...(options.dynamicSecurity === undefined ? [] : [`plugin ${dynamicSecurityPlugin()}`, `plugin_opt_config_file ${join(dir, 'dynamic-security.json')}`]),
    ...(options.extra ?? []),
  ]
  if (options.acl !== undefined) await writeFile(join(dir, 'acl'), options.acl)
  if (options.dynamicSecurity !== undefined) await writeFile(join(dir, 'dynamic-security.json'), JSON.stringify(options.dynamicSecurity))
  const configFile = join(dir, 'mosquitto.conf')
  await writeFile(configFile, config.join('\n') + '\n')

  let child: ChildProcess | undefined
  let output = ''
  const launch = async (): Promise<void> => {
    const proc = spawn(MOSQUITTO, ['-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] })
    child = proc
    proc.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    proc.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const end = Date.now() + 10_000
    while (Date.now() < end) {
      if (proc.exitCode !== null) throw new Error(`mosquitto exited with ${proc.exitCode}:\n${output}`)
      if ((await canConnect(tcpPort)) && (await canConnect(wsPort))) return
      await new Promise((r) => setTimeout(r, 30))
    }
    throw new Error(`mosquitto did not start listening:\n${output}`)
  }
  const kill = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    const proc = child
    child = undefined
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
    proc.kill(signal)
    await exited
  }
  await launch()
  const running: RunningMosquitto = {
    url: `ws://127.0.0.1:${wsPort}/mqtt`,
    mqttUrl: `mqtt://127.0.0.1:${tcpPort}`,
    wsPort,
    tcpPort,
    kill,
    restart: launch,
    async stop() {
      await kill('SIGKILL')
      await rm(dir, { recursive: true, force: true })
    },
    log: () => output,
  }
  all.add(running)
  return running
}

afterAll(async () => {
  await Promise.all([...all].map((m) => m.stop()))
  all.clear()
})
