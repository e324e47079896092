declare module 'virtual:livetopic' {
  /** The local stand-in's WebSocket URL (livetopic/vite-broker.ts). */
  export const brokerUrl: string
}
