/**
 * IoT policy wildcards without regular expressions: `*` matches any run of characters (slashes
 * included), `?` exactly one; everything else (`+` and `#` too) is literal. A regex with `.*`
 * per star backtracks exponentially on hostile policies (ReDoS); this matcher is O(pattern ×
 * text) in the worst case and linear in the usual one.
 */

/** A compiled glob: code points, with these two negative values for the wildcards. */
export type Glob = readonly number[]
const STAR = -1
const ONE = -2

/** The policy variable the stand-in substitutes (literally: its value never becomes a wildcard). */
export const CLIENT_ID_VARIABLE = '${iot:ClientId}'

/** Code points of a string, the unit both `?` and the matcher count in. */
export const codePoints = (text: string): number[] => Array.from(text, (c) => c.codePointAt(0)!)

/** Compiles `glob`; with `clientId`, each `${iot:ClientId}` becomes that id, every character literal. */
export function compileGlob(glob: string, clientId?: string): Glob {
  const parts = clientId === undefined ? [glob] : glob.split(CLIENT_ID_VARIABLE)
  const units: number[] = []
  parts.forEach((part, i) => {
    if (i > 0) units.push(...codePoints(clientId!))
    for (const c of part) units.push(c === '*' ? STAR : c === '?' ? ONE : c.codePointAt(0)!)
  })
  return units
}

/** True when the whole `text` (code points) matches `glob`. Greedy, backtracking only to the last star. */
export function globMatches(glob: Glob, text: readonly number[]): boolean {
  let g = 0
  let t = 0
  let star = -1 // position of the last star seen
  let resume = 0 // text position that star currently covers up to
  while (t < text.length) {
    const unit = glob[g]
    if (unit !== undefined && (unit === ONE || unit === text[t])) {
      g++
      t++
    } else if (unit === STAR) {
      star = g++
      resume = t
    } else if (star >= 0) {
      // let the last star swallow one more character and retry what follows it
      g = star + 1
      t = ++resume
    } else {
      return false
    }
  }
  while (glob[g] === STAR) g++
  return g === glob.length
}
