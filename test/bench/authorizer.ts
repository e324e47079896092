// The custom authorizer Lambda's own time (issue 21), measured locally on the bundle that deploys:
// examples/shared/authorizer.ts bundled as the CDK stack bundles it (esbuild, node, CommonJS) and
// loaded fresh for each cold start. Cold = the first call of a fresh instance (JWKS fetch from the
// stand-in's development issuer on 127.0.0.1 + key import + RS256 verify + policy); warm = later
// calls of the same instance (JWKS cached in module scope). Lambda's own start-up and the network
// to a real issuer (Cognito's JWKS over HTTPS) come on top on AWS.
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startBroker } from '@livetopic/broker'
import type { IotAuthorizerEvent, IotAuthorizerHandler } from '@livetopic/core/aws/authorizer'
import { build } from 'esbuild'
import { fetchDevToken } from '../../examples/shared/dev-token.js'
import { main, SHORT, type BenchRow } from './lib/result.js'
import { median, percentile, round } from './lib/stats.js'

const COLD_RUNS = SHORT ? 3 : 15
const WARM_CALLS = SHORT ? 200 : 2000
const DEADLINE_MS = 60_000

const event = (token: string): IotAuthorizerEvent => ({
  token,
  signatureVerified: false,
  protocols: ['tls', 'http', 'mqtt'],
  protocolData: { mqtt: { clientId: 'bench' } },
  connectionMetadata: { id: 'bench' },
})

async function measure(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'livetopic-authorizer-bench-'))
  const file = join(dir, 'index.js')
  const entry = fileURLToPath(new URL('../../examples/shared/authorizer.ts', import.meta.url))
  await build({ entryPoints: [entry], bundle: true, minify: true, platform: 'node', format: 'cjs', target: 'node20', outfile: file, logLevel: 'error' })
  const broker = await startBroker({ devIdentity: true, dashboard: false, logger: 'silent' })
  try {
    const { issuer, audience } = broker.devIdentity!
    Object.assign(process.env, { LIVETOPIC_JWT_ISSUER: issuer, LIVETOPIC_JWT_AUDIENCE: audience, LIVETOPIC_JWT_TOKEN_USE: 'id' })
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => fetchDevToken(broker.httpUrl, `user${i}`).then((t) => t.idToken)))
    const require = createRequire(file)
    const fresh = (): IotAuthorizerHandler => {
      delete require.cache[file]
      return (require(file) as { handler: IotAuthorizerHandler }).handler
    }
    const cold: number[] = []
    for (let i = 0; i < COLD_RUNS; i++) {
      const handler = fresh()
      const started = performance.now()
      const result = await handler(event(tokens[i % tokens.length]!))
      cold.push(performance.now() - started)
      if (!result.isAuthenticated) throw new Error('a valid token was refused')
    }
    const handler = fresh()
    await handler(event(tokens[0]!))
    const warm: number[] = []
    for (let i = 0; i < WARM_CALLS; i++) {
      const started = performance.now()
      const result = await handler(event(tokens[i % tokens.length]!))
      warm.push(performance.now() - started)
      if (!result.isAuthenticated) throw new Error('a valid token was refused')
    }
    const note = 'examples/shared/authorizer.ts bundled (esbuild node cjs), JWKS from 127.0.0.1'
    return [
      { bench: 'authorizer', metric: 'cold call (fresh module: JWKS fetch + verify), median', value: round(median(cold)), unit: 'ms', note },
      { bench: 'authorizer', metric: 'warm call (JWKS cached), median', value: round(median(warm)), unit: 'ms', note },
      { bench: 'authorizer', metric: 'warm call (JWKS cached), p99', value: round(percentile(warm, 99)), unit: 'ms', note },
    ]
  } finally {
    await broker.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

main(() =>
  Promise.race([
    measure(),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`authorizer bench: no result within ${DEADLINE_MS} ms`)), DEADLINE_MS).unref()),
  ]),
)
