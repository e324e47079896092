import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'

// `cdk synth` warns "N feature flags are not configured" unless cdk.json sets every flag the
// installed aws-cdk-lib recommends; after an aws-cdk-lib upgrade this says which flags to add.
describe('examples/aws/cdk.json', () => {
  it('carries every feature flag the installed aws-cdk-lib recommends, at the recommended value', () => {
    const recommended = createRequire(import.meta.url)('aws-cdk-lib/recommended-feature-flags.json') as Record<string, unknown>
    const { context } = JSON.parse(readFileSync(new URL('../../examples/aws/cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }
    expect(Object.keys(recommended).length).toBeGreaterThan(80)
    expect(Object.fromEntries(Object.keys(recommended).map((flag) => [flag, context[flag]]))).toEqual(recommended)
  })
})
