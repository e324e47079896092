#!/usr/bin/env node
import { readFileSync } from 'node:fs'
import { deployMessage, type DeployOutputs } from '../lib/deploy-message.js'

// `npm run deploy:aws` runs this after `cdk deploy --outputs-file <file>`: prints the site URL and the first sign-up.
const file = process.argv[2]
if (!file) throw new Error('usage: after-deploy <outputs.json written by cdk deploy --outputs-file>')
process.stdout.write(deployMessage(JSON.parse(readFileSync(file, 'utf8')) as DeployOutputs))
