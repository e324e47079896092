/** Where the broker writes start-up notes and denials; never given a token, password or signature. */
export interface BrokerLogger {
  info(message: string): void
  warn(message: string): void
}

/** `'silent'` drops everything (tests); undefined means the console. */
export function resolveLogger(logger: BrokerLogger | 'silent' | undefined): BrokerLogger {
  if (logger === 'silent') return { info() {}, warn() {} }
  if (logger) return logger
  return { info: (m) => console.info(`[livetopic-broker] ${m}`), warn: (m) => console.warn(`[livetopic-broker] ${m}`) }
}
