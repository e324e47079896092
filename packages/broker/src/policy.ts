import type { PolicyDocument, PolicyStatement } from './authorizer-types.js'
import { CLIENT_ID_VARIABLE, codePoints, compileGlob, globMatches, type Glob } from './policy-glob.js'

/** IoT policy actions the stand-in enforces. */
export type IotAction = 'iot:Connect' | 'iot:Publish' | 'iot:RetainPublish' | 'iot:Subscribe' | 'iot:Receive'

/** A parsed statement, with the document and statement index kept for denial logs. */
interface CompiledStatement {
  effect: 'Allow' | 'Deny'
  actions: Glob[]
  /** Compiled once, unless it holds `${iot:ClientId}` (then compiled per evaluation). */
  resources: (Glob | string)[]
  where: string
}

/** Result of {@link Policy.evaluate}: allowed, or why not (never includes a token). */
export interface Decision {
  /** True when an Allow statement matched and no Deny did. */
  allowed: boolean
  /** `policy 1, statement 2 (Deny)` or `no Allow statement matched`. */
  reason: string
}

function list(value: unknown, what: string): string[] {
  const items = Array.isArray(value) ? value : [value]
  if (items.length === 0 || !items.every((v) => typeof v === 'string')) throw new Error(`${what} must be a string or a list of strings`)
  return items
}

/** JSON.parse whose error names the position only: V8's message quotes the text, and a policy may hold secrets. */
function parseJson(text: string, index: number): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1]
    // eslint-disable-next-line preserve-caught-error -- no cause: V8's SyntaxError quotes the policy text, which may hold secrets
    throw new Error(`policy ${index + 1} is not valid JSON${position === undefined ? '' : ` (at position ${position})`}`)
  }
}

/** Parses one policy document (JSON string or object); throws on shapes the stand-in cannot enforce. */
function compilePolicyDocument(doc: string | PolicyDocument, index: number): CompiledStatement[] {
  const parsed = (typeof doc === 'string' ? parseJson(doc, index) : doc) as PolicyDocument
  if (parsed === null || typeof parsed !== 'object' || parsed.Statement === undefined) throw new Error(`policy ${index + 1} has no Statement`)
  const statements: PolicyStatement[] = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement]
  return statements.map((s, i) => {
    const where = `policy ${index + 1}, statement ${i + 1}`
    for (const key of Object.keys(s)) {
      if (!['Effect', 'Action', 'Resource', 'Sid'].includes(key)) throw new Error(`${where}: ${key} is not supported by the stand-in`)
    }
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw new Error(`${where}: Effect must be Allow or Deny`)
    const resources = list(s.Resource, `${where}: Resource`).map((r) => (r.includes(CLIENT_ID_VARIABLE) ? r : compileGlob(r)))
    return { effect: s.Effect, actions: list(s.Action, `${where}: Action`).map((a) => compileGlob(a)), resources, where }
  })
}

/** The policies of one connection, evaluated with IoT's rules: explicit Deny beats Allow, default deny. */
export class Policy {
  readonly #statements: CompiledStatement[]
  readonly #arnPrefix: string

  /** `documents` come from the authorizer; `arnPrefix` is `arn:aws:iot:<region>:<account>:`. */
  constructor(documents: (string | PolicyDocument)[], arnPrefix: string) {
    this.#statements = documents.flatMap((d, i) => compilePolicyDocument(d, i))
    this.#arnPrefix = arnPrefix
  }

  /** The ARN IoT checks for an action: `client/<id>`, `topic/<topic>` or `topicfilter/<filter>`. */
  resourceFor(action: IotAction, name: string): string {
    const kind = action === 'iot:Connect' ? 'client' : action === 'iot:Subscribe' ? 'topicfilter' : 'topic'
    return `${this.#arnPrefix}${kind}/${name}`
  }

  /** Decides whether `clientId` may do `action` on `name` (client id, topic or filter). */
  evaluate(action: IotAction, name: string, clientId: string): Decision {
    const resource = codePoints(this.resourceFor(action, name))
    const actionText = codePoints(action)
    let allow: string | undefined
    for (const s of this.#statements) {
      if (!s.actions.some((a) => globMatches(a, actionText))) continue
      const hit = s.resources.some((r) => globMatches(typeof r === 'string' ? compileGlob(r, clientId) : r, resource))
      if (!hit) continue
      if (s.effect === 'Deny') return { allowed: false, reason: `${s.where} (Deny)` }
      allow ??= s.where
    }
    return allow ? { allowed: true, reason: `${allow} (Allow)` } : { allowed: false, reason: 'no Allow statement matched' }
  }
}
