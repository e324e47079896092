import { AUTHORIZER_NAME, DEPLOYED_CONFIG_FILE, type DeployedConfig } from './config.js'

/** Where a session connects: an endpoint (host or ws:// URL) and the authorizer's name there. */
export interface BrokerTarget {
  endpoint: string
  authorizerName: string
}

const isDeployedConfig = (value: unknown): value is DeployedConfig =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as DeployedConfig).endpoint === 'string' &&
  (value as DeployedConfig).endpoint !== '' &&
  typeof (value as DeployedConfig).authorizerName === 'string' &&
  (value as DeployedConfig).authorizerName !== ''

/**
 * Reads `config.json` next to `pageUrl`: present on the S3 + CloudFront deployment, absent locally
 * (the dev server answers 404 or index.html), then undefined.
 */
export async function readDeployedConfig(pageUrl: string, load: typeof fetch = globalThis.fetch): Promise<DeployedConfig | undefined> {
  try {
    const response = await load(new URL(DEPLOYED_CONFIG_FILE, pageUrl), { cache: 'no-store' })
    const value: unknown = response.ok ? await response.json() : undefined
    return isDeployedConfig(value) ? value : undefined
  } catch {
    return undefined
  }
}

let deployed: Promise<DeployedConfig | undefined> | undefined

/** This page's deployment config, read once per page; outside a browser (tests, SSR) there is none. */
export function deployedConfig(): Promise<DeployedConfig | undefined> {
  if (typeof document !== 'undefined') deployed ??= readDeployedConfig(document.baseURI)
  return deployed ?? Promise.resolve(undefined)
}

/** AWS IoT Core when the page was deployed with a config, otherwise the local broker: no code change. */
export async function brokerTarget(localUrl: string): Promise<BrokerTarget> {
  const config = await deployedConfig()
  return config ? { endpoint: config.endpoint, authorizerName: config.authorizerName } : { endpoint: localUrl, authorizerName: AUTHORIZER_NAME }
}
