/** Expressions of the IoT SQL subset the stand-in understands. */
export type Expr =
  | { kind: 'literal'; value: string | number | boolean }
  | { kind: 'field'; path: string[] }
  | { kind: 'call'; name: 'topic' | 'clientid' | 'timestamp'; arg?: number }
  | { kind: 'not'; operand: Expr }
  | { kind: 'logic'; op: 'AND' | 'OR'; left: Expr; right: Expr }
  | { kind: 'compare'; op: '=' | '<>' | '<' | '>' | '<=' | '>='; left: Expr; right: Expr }

/** One `expr [AS name]` of the SELECT list, or `*`. */
export type SelectItem = { kind: 'star' } | { kind: 'expr'; expr: Expr; name: string }

/** A parsed `SELECT ... FROM '<filter>' [WHERE ...]`. */
export interface SqlStatement {
  select: SelectItem[]
  from: string
  where?: Expr
}
