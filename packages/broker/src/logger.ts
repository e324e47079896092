/** Where the broker writes start-up notes and denials; never given a token, password or signature. */
export interface BrokerLogger {
  /** An ordinary event (start-up, connections). */
  info(message: string): void
  /** A refusal, a failed rule or a risky setting. */
  warn(message: string): void
}

// C0/C1 controls (newlines, ANSI escapes) and invisible format characters (bidi overrides)
const UNPRINTABLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/**
 * Makes a log line safe to print: client ids, topics and other client-controlled text can carry
 * `\n` (a forged log line) or ANSI escapes (terminal control); they are shown as visible escapes.
 */
function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => NAMED[c] ?? `\\u{${c.codePointAt(0)!.toString(16)}}`)
}

/** `'silent'` drops everything (tests); undefined means the console. Every message is made {@link printable}. */
export function resolveLogger(logger: BrokerLogger | 'silent' | undefined): BrokerLogger {
  if (logger === 'silent') return { info() {}, warn() {} }
  const target = logger ?? { info: (m: string) => console.info(`[livetopic-broker] ${m}`), warn: (m: string) => console.warn(`[livetopic-broker] ${m}`) }
  return { info: (m) => target.info(printable(m)), warn: (m) => target.warn(printable(m)) }
}
