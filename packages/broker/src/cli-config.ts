import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Authorizer } from './authorizer-types.js'
import type { TopicRule } from './rules/topic-rule.js'
import type { BrokerOptions } from './start-broker.js'

/** Imports a module given on the command line (relative to the working directory). */
async function load(file: string): Promise<Record<string, unknown>> {
  return (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>
}

/** `--config file`: a JSON file or a JS module whose default export is {@link BrokerOptions}. */
export async function loadConfig(file: string): Promise<BrokerOptions> {
  if (file.endsWith('.json')) return JSON.parse(await readFile(resolve(file), 'utf8')) as BrokerOptions
  const mod = await load(file)
  return mod.default ?? mod
}

/** `--authorizer file`: default export (or an `authorizer` or Lambda-style `handler` export) is the function. */
export async function loadAuthorizer(file: string): Promise<Authorizer> {
  const mod = await load(file)
  const fn = mod.default ?? mod.authorizer ?? mod.handler
  if (typeof fn !== 'function') throw new Error(`${file} must export an authorizer function (default export)`)
  return fn as Authorizer
}

/** `--rules file`: default export (or `rules` export) is the list of rules. */
export async function loadRules(file: string): Promise<TopicRule[]> {
  const mod = await load(file)
  const rules = mod.default ?? mod.rules
  if (!Array.isArray(rules)) throw new Error(`${file} must export an array of rules (default export)`)
  return rules as TopicRule[]
}
