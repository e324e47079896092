/** URLs of the dev broker, given to the app by the `liveTopicBroker` Vite plugin. */
declare module 'virtual:livetopic-broker' {
  /** MQTT over WebSocket endpoint, e.g. `ws://127.0.0.1:8080/mqtt`. */
  export const brokerUrl: string
  /** HTTP base of the IoT Data Plane API. */
  export const httpUrl: string
}
