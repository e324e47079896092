/** dynalite (an in-memory DynamoDB on LevelDB) ships no types: the little the examples use of it. */
declare module 'dynalite' {
  import type { Server } from 'node:http'
  interface DynaliteOptions {
    /** Simulated table creation delay, ms (default 500). */
    createTableMs?: number
    deleteTableMs?: number
    updateTableMs?: number
    /** Directory of a LevelDB store; in memory when unset. */
    path?: string
  }
  /** An HTTP server that speaks DynamoDB's API. */
  export default function dynalite(options?: DynaliteOptions): Server
}
