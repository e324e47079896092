/**
 * Bundles a Lambda handler's `entry` once, as the CDK's NodejsFunction does (esbuild, platform
 * node, target node20), wrapped in a worker bootstrap: the module is evaluated when the worker
 * starts (Lambda's init phase) and each message from the parent is one invocation.
 */
export async function bundleLambda(entry: string, handlerName: string): Promise<string> {
  // loaded only when a broker has a Lambda rule: importing the broker must not load esbuild (it
  // refuses to load under jsdom, where the adapter tests start brokers)
  const { build } = await import('esbuild')
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    write: false,
    logLevel: 'silent',
    // keeps the AWS SDK's own files readable in stack traces without shipping source maps
    minify: false,
  })
  const code = result.outputFiles[0]!.text
  return workerSource(code, handlerName)
}

// An eval'd worker is a CommonJS script: the bundle gets its own `module`, so instances share nothing
function workerSource(bundle: string, handlerName: string): string {
  return `'use strict'
const { parentPort, workerData } = require('node:worker_threads')
const module = { exports: {} }
;(function (module, exports) {
${bundle}
})(module, module.exports)
const handler = module.exports[${JSON.stringify(handlerName)}]
if (typeof handler !== 'function') throw new Error('the bundle exports no function named ' + ${JSON.stringify(handlerName)})
parentPort.on('message', async ({ id, event, deadline }) => {
  const context = {
    awsRequestId: id,
    functionName: workerData.functionName,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  }
  try {
    await handler(event, context)
    parentPort.postMessage({ id, ok: true })
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error))
    parentPort.postMessage({ id, ok: false, name: e.name, message: e.message })
  }
})
parentPort.postMessage({ ready: true })
`
}
