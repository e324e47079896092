import type { Expr, SelectItem, SqlStatement } from './sql-ast.js'
import { tokenize, type Token } from './sql-lexer.js'

const FUNCTIONS = new Set(['topic', 'clientid', 'timestamp'])
const KEYWORDS = new Set(['SELECT', 'FROM', 'WHERE', 'AS', 'AND', 'OR', 'NOT', 'TRUE', 'FALSE'])

/** Recursive-descent parser over the tokens of one statement or expression. */
class Parser {
  #i = 0
  constructor(private readonly tokens: Token[]) {}

  peek(): Token {
    return this.tokens[this.#i]!
  }
  next(): Token {
    return this.tokens[this.#i++]!
  }
  isWord(word: string): boolean {
    const t = this.peek()
    return t.type === 'word' && t.text.toUpperCase() === word
  }
  expectWord(word: string): void {
    if (!this.isWord(word)) this.fail(`expected ${word}`)
    this.next()
  }
  expectPunct(p: string): void {
    const t = this.next()
    if (t.type !== 'punct' || t.text !== p) this.fail(`expected '${p}'`, t)
  }
  fail(message: string, t: Token = this.peek()): never {
    throw new Error(`${message} at position ${t.at}${t.text ? ` (near '${t.text}')` : ''}`)
  }

  statement(): SqlStatement {
    this.expectWord('SELECT')
    const select: SelectItem[] = [this.selectItem()]
    while (this.peek().text === ',' && this.peek().type === 'punct') {
      this.next()
      select.push(this.selectItem())
    }
    this.expectWord('FROM')
    const from = this.next()
    if (from.type !== 'string') this.fail("FROM needs a quoted topic filter, e.g. FROM 'rooms/+'", from)
    const where = this.isWord('WHERE') ? (this.next(), this.expr()) : undefined
    this.end()
    return { select, from: from.text, ...(where ? { where } : {}) }
  }

  end(): void {
    if (this.peek().type !== 'end') this.fail('unsupported or unexpected input')
  }

  selectItem(): SelectItem {
    const t = this.peek()
    if (t.type === 'punct' && t.text === '*') {
      this.next()
      return { kind: 'star' }
    }
    const expr = this.expr()
    if (this.isWord('AS')) {
      this.next()
      const name = this.next()
      if (name.type !== 'word') this.fail('expected a name after AS', name)
      return { kind: 'expr', expr, name: name.text }
    }
    if (expr.kind === 'field') return { kind: 'expr', expr, name: expr.path[expr.path.length - 1]! }
    if (expr.kind === 'call') return { kind: 'expr', expr, name: expr.name }
    return this.fail('a computed SELECT item needs AS <name>')
  }

  expr(): Expr {
    let left = this.and()
    while (this.isWord('OR')) {
      this.next()
      left = { kind: 'logic', op: 'OR', left, right: this.and() }
    }
    return left
  }
  and(): Expr {
    let left = this.not()
    while (this.isWord('AND')) {
      this.next()
      left = { kind: 'logic', op: 'AND', left, right: this.not() }
    }
    return left
  }
  not(): Expr {
    if (this.isWord('NOT')) {
      this.next()
      return { kind: 'not', operand: this.not() }
    }
    const left = this.primary()
    const t = this.peek()
    if (t.type !== 'op') return left
    this.next()
    return { kind: 'compare', op: t.text as '=' | '<>' | '<' | '>' | '<=' | '>=', left, right: this.primary() }
  }
  primary(): Expr {
    const t = this.next()
    if (t.type === 'number') return { kind: 'literal', value: Number(t.text) }
    if (t.type === 'string') return { kind: 'literal', value: t.text }
    if (t.type === 'punct' && t.text === '(') {
      const inner = this.expr()
      this.expectPunct(')')
      return inner
    }
    if (t.type !== 'word') return this.fail('expected a value', t)
    const upper = t.text.toUpperCase()
    if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'literal', value: upper === 'TRUE' }
    if (this.peek().type === 'punct' && this.peek().text === '(') {
      const name = t.text.toLowerCase()
      if (!FUNCTIONS.has(name)) this.fail(`function ${t.text}() is not supported by the stand-in (only topic(), topic(n), clientid(), timestamp())`, t)
      this.next()
      let arg: number | undefined
      if (name === 'topic' && this.peek().type === 'number') arg = Number(this.next().text)
      this.expectPunct(')')
      return { kind: 'call', name: name as 'topic' | 'clientid' | 'timestamp', ...(arg !== undefined ? { arg } : {}) }
    }
    if (KEYWORDS.has(upper)) this.fail(`unexpected ${upper}`, t)
    const path = [t.text]
    while (this.peek().type === 'punct' && this.peek().text === '.') {
      this.next()
      const part = this.next()
      if (part.type !== 'word') this.fail('expected a field name after .', part)
      path.push(part.text)
    }
    return { kind: 'field', path }
  }
}

/** Parses `SELECT ... FROM '<filter>' [WHERE ...]`; throws a clear Error on anything outside the subset. */
export function parseSql(sql: string): SqlStatement {
  return new Parser(tokenize(sql)).statement()
}

/** Parses a lone expression, e.g. the `topic(2)` of a `${topic(2)}` substitution template. */
export function parseExpression(text: string): Expr {
  const parser = new Parser(tokenize(text))
  const expr = parser.expr()
  parser.end()
  return expr
}
