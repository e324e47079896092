import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import type { IConstruct } from 'constructs'

let found: boolean | undefined

/**
 * NodejsFunction bundles locally only when it finds esbuild as aws-cdk-lib does (resolvable from
 * aws-cdk-lib, or on PATH); otherwise it silently switches to Docker, which a fresh project may not
 * have. This package depends on esbuild, so with npm or yarn it is found; when a layout hides it
 * (pnpm), synth stops here with what to do instead of trying Docker.
 */
function esbuildFound(): boolean {
  try {
    const fromCdk = createRequire(createRequire(import.meta.url).resolve('aws-cdk-lib/package.json'))
    fromCdk.resolve('esbuild/package.json')
    return true
  } catch {
    const onPath = spawnSync('esbuild', ['--version'], { stdio: 'ignore' })
    return onPath.status === 0 && !onPath.error
  }
}

/** Throws unless NodejsFunction will bundle with a local esbuild (checked once per process). */
export function requireLocalEsbuild(scope: IConstruct): void {
  found ??= esbuildFound()
  if (!found)
    throw new Error(
      `${scope.node.path}: esbuild is not resolvable from aws-cdk-lib nor on PATH, so NodejsFunction would fall back to Docker bundling: ` +
        `add esbuild to your project (npm install -D esbuild), or set bundling.forceDockerBundling: true to bundle in Docker on purpose`,
    )
}
