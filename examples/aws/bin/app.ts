#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib'
import { AwsSolutionsChecks } from 'cdk-nag'
import { exampleAppProps } from '../lib/app-props.js'
import { ExampleStack } from '../lib/example-stack.js'
import { ensureSiteBuilt } from '../lib/site-assets.js'

// Account- and region-agnostic (no `env`): synth needs no AWS account and no network.
const app = new App(exampleAppProps())

/** `-c authorizerConcurrency=<n>|false`: a positive integer, or false for none reserved. */
function authorizerConcurrency(value: unknown): number | false | undefined {
  if (value === undefined || value === false || value === 'false') return value === undefined ? undefined : false
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new Error(`authorizerConcurrency must be a positive integer or false, got '${JSON.stringify(value)}'`)
  return n
}
const concurrency = authorizerConcurrency(app.node.tryGetContext('authorizerConcurrency'))
new ExampleStack(app, 'LiveTopicExample', {
  siteDir: await ensureSiteBuilt(),
  description: 'livetopic example: Cognito sign-in, AWS IoT Core custom authorizer, topic rules, React app on CloudFront',
  // `cdk deploy -c authDomainPrefix=my-app -c authorizerConcurrency=false` (a new account may reserve none)
  ...(app.node.tryGetContext('authDomainPrefix') ? { authDomainPrefix: String(app.node.tryGetContext('authDomainPrefix')) } : {}),
  ...(concurrency !== undefined ? { authorizerConcurrency: concurrency } : {}),
})
// cdk-nag's AwsSolutions pack as a CDK validation plugin: an unacknowledged error fails synth
Validations.of(app).addPlugins(new AwsSolutionsChecks(app))
const assembly = app.synth()
process.stdout.write(`synthesized LiveTopicExample to ${assembly.directory}\n`)
