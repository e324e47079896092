import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { AppProps } from 'aws-cdk-lib'

const file = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

/**
 * What `new App()` needs to synthesize as `cdk synth` does when run directly (`npm run synth:aws`,
 * the tests): cdk.json's context (the recommended feature flags), which only the CDK CLI passes on,
 * and the output folder examples/aws/cdk.out unless the CLI says where (CDK_OUTDIR).
 */
export function exampleAppProps(outdir?: string): AppProps {
  if (process.env.CDK_CONTEXT_JSON) return outdir ? { outdir } : {} // the CLI gave cdk.json's context
  const { context } = JSON.parse(readFileSync(file('../cdk.json'), 'utf8')) as { context: Record<string, unknown> }
  return { context, outdir: outdir ?? process.env.CDK_OUTDIR ?? file('../cdk.out') }
}
