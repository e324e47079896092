import type { Expr, SqlStatement } from '@livetopic/iot'

/** What an expression can see: the decoded payload and the message's metadata. */
export interface EvalContext {
  /** Parsed JSON payload, or undefined when the payload is not JSON. */
  payload: unknown
  topic: string
  clientId: string
  timestamp: number
}

type Value = string | number | boolean | null | object | undefined

/** Evaluates an expression; missing fields are `undefined` (IoT's Undefined), which no comparison satisfies. */
export function evaluate(expr: Expr, ctx: EvalContext): Value {
  switch (expr.kind) {
    case 'literal':
      return expr.value
    case 'field': {
      let v: unknown = ctx.payload
      for (const key of expr.path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined
      return v as Value
    }
    case 'call':
      if (expr.name === 'clientid') return ctx.clientId
      if (expr.name === 'timestamp') return ctx.timestamp
      // topic(n) is 1-based, as in IoT
      return expr.arg === undefined ? ctx.topic : ctx.topic.split('/')[expr.arg - 1]
    case 'not': {
      // IoT SQL: NOT of Undefined (a missing field) stays Undefined
      const v = bool(evaluate(expr.operand, ctx))
      return v === undefined ? undefined : !v
    }
    case 'logic': {
      const left = bool(evaluate(expr.left, ctx))
      const right = bool(evaluate(expr.right, ctx))
      if (expr.op === 'AND') return left === false || right === false ? false : left === undefined || right === undefined ? undefined : true
      return left === true || right === true ? true : left === undefined || right === undefined ? undefined : false
    }
    case 'compare': {
      const a = evaluate(expr.left, ctx)
      const b = evaluate(expr.right, ctx)
      if (a === undefined || b === undefined) return undefined
      switch (expr.op) {
        case '=':
          return a === b
        case '<>':
          return a !== b
        default:
          if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) return undefined
          if (expr.op === '<') return (a as number) < (b as number)
          if (expr.op === '>') return (a as number) > (b as number)
          if (expr.op === '<=') return (a as number) <= (b as number)
          return (a as number) >= (b as number)
      }
    }
  }
}

const truthy = (v: Value): boolean => v === true
const bool = (v: Value): boolean | undefined => (typeof v === 'boolean' ? v : undefined)

/** Applies WHERE and SELECT: the selected object, the raw payload for `SELECT *` on non-JSON, or undefined when filtered out. */
export function applyStatement(statement: SqlStatement, ctx: EvalContext, raw: Buffer): Record<string, unknown> | Buffer | undefined {
  if (statement.where && !truthy(evaluate(statement.where, ctx))) return undefined
  const isObject = ctx.payload !== null && typeof ctx.payload === 'object' && !Array.isArray(ctx.payload)
  if (statement.select.length === 1 && statement.select[0]!.kind === 'star' && !isObject) return raw
  const out: Record<string, unknown> = {}
  for (const item of statement.select) {
    if (item.kind === 'star') {
      if (isObject) Object.assign(out, ctx.payload)
    } else {
      const v = evaluate(item.expr, ctx)
      if (v !== undefined) out[item.name] = v
    }
  }
  return out
}
