#!/usr/bin/env node
import { fileURLToPath } from 'node:url'
import { App, Validations } from 'aws-cdk-lib'
import { AwsSolutionsChecks } from 'cdk-nag'
import { ExampleStack } from '../lib/example-stack.js'
import { ensureSiteBuilt } from '../lib/site-assets.js'

// Account- and region-agnostic (no `env`): synth needs no AWS account and no network.
// Output in examples/aws/cdk.out, unless the CDK CLI says where (CDK_OUTDIR).
const app = new App(process.env.CDK_OUTDIR ? {} : { outdir: fileURLToPath(new URL('../cdk.out', import.meta.url)) })
new ExampleStack(app, 'LiveTopicExample', {
  siteDir: await ensureSiteBuilt(),
  description: 'livetopic example: AWS IoT Core custom authorizer, topic rules, React app on CloudFront',
})
// cdk-nag's AwsSolutions pack as a CDK validation plugin: an unacknowledged error fails synth
Validations.of(app).addPlugins(new AwsSolutionsChecks(app))
const assembly = app.synth()
process.stdout.write(`synthesized LiveTopicExample to ${assembly.directory}\n`)
