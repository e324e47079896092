import { AUTHORIZER_NAME, DEPLOYED_CONFIG_FILE, type DeployedConfig } from './config.js'

/** Where a session connects: an endpoint (host or ws:// URL) and the authorizer's name there. */
export interface BrokerTarget {
  endpoint: string
  authorizerName: string
}

const isDeployedConfig = (value: unknown): value is DeployedConfig =>
  typeof value === 'object' && value !== null &&
  typeof (value as DeployedConfig).endpoint === 'string' && (value as DeployedConfig).endpoint !== '' &&
  typeof (value as DeployedConfig).authorizerName === 'string' && (value as DeployedConfig).authorizerName !== ''

let deployed: Promise<DeployedConfig | undefined> | undefined

/** The page's `config.json`, read once: present on the S3 + CloudFront deployment, absent locally. */
export function deployedConfig(load: typeof fetch = globalThis.fetch): Promise<DeployedConfig | undefined> {
  if (typeof load !== 'function' || typeof document === 'undefined') return Promise.resolve(undefined)
  deployed ??= load(new URL(DEPLOYED_CONFIG_FILE, document.baseURI), { cache: 'no-store' })
    .then((r) => (r.ok ? r.json() : undefined))
    .then((value: unknown) => (isDeployedConfig(value) ? value : undefined))
    .catch(() => undefined) // the dev server answers index.html or 404: no deployment, use the local broker
  return deployed
}

/** AWS IoT Core when the page was deployed with a config, otherwise the local broker: no code change. */
export async function brokerTarget(localUrl: string): Promise<BrokerTarget> {
  const config = await deployedConfig()
  return config ? { endpoint: config.endpoint, authorizerName: config.authorizerName } : { endpoint: localUrl, authorizerName: AUTHORIZER_NAME }
}
