import type { PolicyDocument, PolicyStatement } from './authorizer-types.js'

/** IoT policy actions the stand-in enforces. */
export type IotAction = 'iot:Connect' | 'iot:Publish' | 'iot:RetainPublish' | 'iot:Subscribe' | 'iot:Receive'

/** A parsed statement, with the document and statement index kept for denial logs. */
interface CompiledStatement {
  effect: 'Allow' | 'Deny'
  actions: RegExp[]
  resources: string[]
  where: string
}

/** Result of {@link Policy.evaluate}: allowed, or why not (never includes a token). */
export interface Decision {
  allowed: boolean
  /** `policy 1, statement 2 (Deny)` or `no Allow statement matched`. */
  reason: string
}

// `*` matches any run of characters (slashes included), `?` exactly one; everything else is literal.
const escape = (text: string): string => text.replace(/[.*?+^${}()|[\]\\]/g, '\\$&')
const globBody = (glob: string): string => escape(glob).replace(/\\\*/g, '.*').replace(/\\\?/g, '.')
function globToRegExp(glob: string, clientId?: string): RegExp {
  // `${iot:ClientId}` is substituted literally (a `*` in a client id is no wildcard)
  const body = clientId === undefined ? globBody(glob) : glob.split('${iot:ClientId}').map(globBody).join(escape(clientId))
  return new RegExp(`^${body}$`, 's')
}

function list(value: unknown, what: string): string[] {
  const items = Array.isArray(value) ? value : [value]
  if (items.length === 0 || !items.every((v) => typeof v === 'string')) throw new Error(`${what} must be a string or a list of strings`)
  return items as string[]
}

/** Parses one policy document (JSON string or object); throws on shapes the stand-in cannot enforce. */
export function compilePolicyDocument(doc: string | PolicyDocument, index: number): CompiledStatement[] {
  const parsed = (typeof doc === 'string' ? JSON.parse(doc) : doc) as PolicyDocument
  if (parsed === null || typeof parsed !== 'object' || parsed.Statement === undefined) throw new Error(`policy ${index + 1} has no Statement`)
  const statements: PolicyStatement[] = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement]
  return statements.map((s, i) => {
    const where = `policy ${index + 1}, statement ${i + 1}`
    for (const key of Object.keys(s)) {
      if (!['Effect', 'Action', 'Resource', 'Sid'].includes(key)) throw new Error(`${where}: ${key} is not supported by the stand-in`)
    }
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw new Error(`${where}: Effect must be Allow or Deny`)
    return { effect: s.Effect, actions: list(s.Action, `${where}: Action`).map((a) => globToRegExp(a)), resources: list(s.Resource, `${where}: Resource`), where }
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
    const resource = this.resourceFor(action, name)
    let allow: string | undefined
    for (const s of this.#statements) {
      if (!s.actions.some((a) => a.test(action))) continue
      const hit = s.resources.some((r) => globToRegExp(r, clientId).test(resource))
      if (!hit) continue
      if (s.effect === 'Deny') return { allowed: false, reason: `${s.where} (Deny)` }
      allow ??= s.where
    }
    return allow ? { allowed: true, reason: `${allow} (Allow)` } : { allowed: false, reason: 'no Allow statement matched' }
  }
}
