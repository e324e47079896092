#!/usr/bin/env node
import { relative } from 'node:path'
import { parseArgs } from 'node:util'
import { createApp } from './create-app.js'
import { TEMPLATES, type TemplateName } from './templates.js'

const USAGE = `Usage: npm create livetopic@latest <folder> [-- --template react|vue|svelte]
  --template, -t   framework of the app (default react)
Makes a live chat app with the local AWS IoT Core stand-in, a JWT custom authorizer, a topic rule
and the CDK stack that deploys them to AWS IoT Core. Offline: it installs nothing.
`

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { template: { type: 'string', short: 't' }, help: { type: 'boolean', short: 'h' } },
})
if (values.help || positionals.length !== 1) {
  process.stdout.write(USAGE)
  process.exit(values.help ? 0 : 1)
}
const template = (values.template ?? 'react') as TemplateName
if (!TEMPLATES.includes(template)) {
  process.stderr.write(`create-livetopic: unknown template '${template}' (one of ${TEMPLATES.join(', ')})\n`)
  process.exit(1)
}
try {
  const app = createApp({ dir: positionals[0]!, template })
  const folder = relative(process.cwd(), app.dir) || '.'
  process.stdout.write(`Created ${app.name} (${template}) in ${folder}: ${app.files.length} files.

  cd ${folder}
  npm install && npm run dev     # the app and the local IoT Core stand-in
  npm test                       # the app's tests, against the stand-in
  npm run deploy:aws             # the same authorizer and rule on AWS IoT Core (see README.md)
`)
} catch (error) {
  process.stderr.write(`create-livetopic: ${(error as Error).message}\n`)
  process.exit(1)
}
