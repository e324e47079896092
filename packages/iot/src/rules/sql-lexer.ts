/** A token of IoT SQL. */
export interface Token {
  type: 'word' | 'string' | 'number' | 'op' | 'punct' | 'end'
  text: string
  at: number
}

/** Splits IoT SQL into tokens; throws on a character it does not know. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < sql.length) {
    const c = sql[i]!
    if (/\s/.test(c)) {
      i++
    } else if (c === "'") {
      let j = i + 1
      let text = ''
      for (;;) {
        if (j >= sql.length) throw new Error(`unterminated string at ${i}`)
        if (sql[j] === "'" && sql[j + 1] === "'") {
          text += "'"
          j += 2
          continue
        }
        if (sql[j] === "'") break
        text += sql[j]
        j++
      }
      tokens.push({ type: 'string', text, at: i })
      i = j + 1
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      const m = /^-?\d+(\.\d+)?/.exec(sql.slice(i))!
      tokens.push({ type: 'number', text: m[0], at: i })
      i += m[0].length
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i))!
      tokens.push({ type: 'word', text: m[0], at: i })
      i += m[0].length
    } else if (c === '"') {
      // a quoted field name, e.g. "field-name"
      const end = sql.indexOf('"', i + 1)
      if (end < 0) throw new Error(`unterminated quoted name at ${i}`)
      tokens.push({ type: 'word', text: sql.slice(i + 1, end), at: i })
      i = end + 1
    } else {
      const two = sql.slice(i, i + 2)
      if (['<>', '<=', '>=', '!='].includes(two)) {
        tokens.push({ type: 'op', text: two === '!=' ? '<>' : two, at: i })
        i += 2
      } else if ('=<>'.includes(c)) {
        tokens.push({ type: 'op', text: c, at: i })
        i++
      } else if ('(),.*'.includes(c)) {
        tokens.push({ type: 'punct', text: c, at: i })
        i++
      } else {
        throw new Error(`unexpected character '${c}' at ${i}`)
      }
    }
  }
  tokens.push({ type: 'end', text: '', at: sql.length })
  return tokens
}
