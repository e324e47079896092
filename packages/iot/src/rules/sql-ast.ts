/** Expressions of the IoT SQL subset the stand-in understands. */
export type Expr =
  | {
      /** A literal: a quoted string, a number, `true` or `false`. */
      kind: 'literal'
      /** Its value. */
      value: string | number | boolean
    }
  | {
      /** A payload field, e.g. `user.name`. */
      kind: 'field'
      /** Its path into the JSON payload: `user.name` → `['user', 'name']`. */
      path: string[]
    }
  | {
      /** A function call: `topic()`, `topic(n)`, `clientid()` or `timestamp()`. */
      kind: 'call'
      /** The function, lower-cased. */
      name: 'topic' | 'clientid' | 'timestamp'
      /** `n` of `topic(n)`: the topic level, counted from 1. */
      arg?: number
    }
  | {
      /** `NOT operand`. */
      kind: 'not'
      /** The negated expression. */
      operand: Expr
    }
  | {
      /** `left AND right` or `left OR right`. */
      kind: 'logic'
      /** The operator. */
      op: 'AND' | 'OR'
      /** Left operand. */
      left: Expr
      /** Right operand. */
      right: Expr
    }
  | {
      /** A comparison. */
      kind: 'compare'
      /** The operator. */
      op: '=' | '<>' | '<' | '>' | '<=' | '>='
      /** Left operand. */
      left: Expr
      /** Right operand. */
      right: Expr
    }

/** One `expr [AS name]` of the SELECT list, or `*`. */
export type SelectItem =
  | {
      /** `*`: the whole payload. */
      kind: 'star'
    }
  | {
      /** One expression. */
      kind: 'expr'
      /** The selected expression. */
      expr: Expr
      /** Its key in the result: the `AS` name, else the field's last part or the function's name. */
      name: string
    }

/** A parsed `SELECT ... FROM '<filter>' [WHERE ...]`. */
export interface SqlStatement {
  /** The SELECT list. */
  select: SelectItem[]
  /** The FROM topic filter, unquoted. */
  from: string
  /** The WHERE condition, when there is one. */
  where?: Expr
}
