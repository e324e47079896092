import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { trustHints, type TlsEndpoints } from './listeners.js'
import type { BrokerTlsOptions } from './tls-options.js'

/** The CLI's TLS flags, as `parseArgs` reads them (see {@link TLS_FLAGS}). */
export interface TlsFlagValues {
  tls?: boolean
  'tls-ca-file'?: string
  'tls-cert'?: string
  'tls-key'?: string
  'tls-ca'?: string
  'tls-port'?: string
  'wss-port'?: string
}

/** `parseArgs` options of the TLS flags. */
export const TLS_FLAGS = {
  tls: { type: 'boolean' },
  'tls-ca-file': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'tls-ca': { type: 'string' },
  'tls-port': { type: 'string' },
  'wss-port': { type: 'string' },
} as const

/** Usage lines of the TLS flags. */
export const TLS_USAGE = `  --tls                  also serve MQTT over TLS and MQTT over WSS, with a development CA made for this run
  --tls-ca-file ca.pem   write the CA certificate (public) there, to trust it (implies --tls)
  --tls-cert f --tls-key f [--tls-ca f]   your own certificate and key (PEM, e.g. from mkcert) instead (implies --tls)
  --tls-port 8883        port of MQTT over TLS (default: a free one)
  --wss-port 8443        port of MQTT over WSS (default: a free one)
`

const num = (value: string | undefined): number | undefined => (value === undefined ? undefined : Number(value))

/** The `tls` option from the flags, merged over a config file's; undefined when no flag asks for TLS. */
export async function tlsOptionsFromFlags(
  values: TlsFlagValues,
  fromConfig: boolean | BrokerTlsOptions | undefined,
): Promise<boolean | BrokerTlsOptions | undefined> {
  const { tls, 'tls-ca-file': caFile, 'tls-cert': cert, 'tls-key': key, 'tls-ca': ca } = values
  const any = [tls, caFile, cert, key, ca, values['tls-port'], values['wss-port']].some((v) => v !== undefined)
  if (!any) return fromConfig
  const read = (file: string): Promise<string> => readFile(resolve(file), 'utf8')
  const mqttPort = num(values['tls-port'])
  const wssPort = num(values['wss-port'])
  return {
    ...(typeof fromConfig === 'object' ? fromConfig : {}),
    ...(caFile !== undefined ? { caFile: resolve(caFile) } : {}),
    ...(cert !== undefined ? { cert: await read(cert) } : {}),
    ...(key !== undefined ? { key: await read(key) } : {}),
    ...(ca !== undefined ? { ca: await read(ca) } : {}),
    ...(mqttPort !== undefined ? { mqttPort } : {}),
    ...(wssPort !== undefined ? { wssPort } : {}),
  }
}

/** The CLI banner's TLS lines. */
export function tlsBannerLines(endpoints: TlsEndpoints | undefined): string[] {
  if (!endpoints) return []
  return [
    `  MQTT over TLS:       ${endpoints.mqttUrl}`,
    `  MQTT over WSS:       ${endpoints.wssUrl}`,
    ...trustHints(endpoints)
      .slice(1)
      .map((line) => `  ${line}`),
  ]
}
