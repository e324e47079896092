import { createSecureContext } from 'node:tls'
import { makeDevCertificates, type TlsCredentials } from './dev-ca.js'

/**
 * `startBroker({ tls })`: also serve MQTT over TLS (IoT's 8883) and MQTT over WSS (IoT's 443), each
 * on a port of its own. Without `cert` and `key` a development CA and a localhost certificate are
 * made for this run (the CA's key is never kept, see `makeDevCertificates`).
 */
export interface BrokerTlsOptions {
  /** Server certificate (chain), PEM; give it with `key`, e.g. from mkcert. Default: a development certificate. */
  cert?: string | Buffer
  /** Private key of `cert`, PEM. */
  key?: string | Buffer
  /** Certificate of the CA that signed `cert` (PEM), reported and written to `caFile`. */
  ca?: string | Buffer
  /** Write the CA certificate (PEM, public) to this file, e.g. for NODE_EXTRA_CA_CERTS. */
  caFile?: string
  /** Port of MQTT over TLS; 0 (default) picks a free one. */
  mqttPort?: number
  /** Port of MQTT over WebSocket over TLS (and MQTT over TLS with ALPN `mqtt` or `x-amzn-mqtt-ca`, as IoT's 443); 0 (default) picks a free one. */
  wssPort?: number
}

/** The TLS options resolved: credentials ready for `tls.createServer`, ports, and whether the dev CA made them. */
export interface ResolvedTls {
  credentials: TlsCredentials
  devCa: boolean
  caFile?: string
  mqttPort: number
  wssPort: number
}

/** Thrown for TLS options that cannot work; says which, never quotes key material. */
export class TlsOptionsError extends Error {
  /** Always `'TlsOptionsError'`. */
  override name = 'TlsOptionsError'
}

const text = (value: string | Buffer): string => (typeof value === 'string' ? value : value.toString('utf8'))

function port(value: number | undefined, name: string): number {
  const p = value ?? 0
  if (!Number.isInteger(p) || p < 0 || p > 65535) throw new TlsOptionsError(`tls.${name} must be a port number (0-65535)`)
  return p
}

/** Checks the options and makes the development certificates when none are given. */
export async function resolveTlsOptions(options: true | BrokerTlsOptions): Promise<ResolvedTls> {
  const o: BrokerTlsOptions = options === true ? {} : options
  const ports = { mqttPort: port(o.mqttPort, 'mqttPort'), wssPort: port(o.wssPort, 'wssPort') }
  const caFile = o.caFile !== undefined ? { caFile: o.caFile } : {}
  if ((o.cert === undefined) !== (o.key === undefined)) throw new TlsOptionsError('tls.cert and tls.key go together: give both or neither')
  if (o.cert === undefined || o.key === undefined) {
    if (o.ca !== undefined) throw new TlsOptionsError('tls.ca names the CA of tls.cert: give it with tls.cert and tls.key')
    return { credentials: await makeDevCertificates(), devCa: true, ...caFile, ...ports }
  }
  const credentials: TlsCredentials = { cert: text(o.cert), key: text(o.key), ...(o.ca !== undefined ? { ca: text(o.ca) } : {}) }
  try {
    createSecureContext({ cert: credentials.cert, key: credentials.key })
  } catch (error) {
    // OpenSSL's reason only (e.g. "no start line", "key values mismatch"), never the PEM itself
    const reason = (error as Error).message.replace(/^error:[0-9A-F]+:/, '')
    throw new TlsOptionsError(`tls.cert and tls.key cannot be loaded: ${reason}`)
  }
  if (o.caFile !== undefined && credentials.ca === undefined) throw new TlsOptionsError('tls.caFile needs tls.ca (the CA certificate to write)')
  return { credentials, devCa: false, ...caFile, ...ports }
}
