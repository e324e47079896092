/**
 * Server code (Node): `readRetained`, the last retained values to seed a server render.
 * @module @livetopic/core/aws/server
 */
// @livetopic/core/aws/server: AWS helpers for server code (Node). It imports
// @aws-sdk/client-iot-data-plane (an optional peer dependency), so it stays out of browser bundles
// and out of @livetopic/core/aws.
export { readRetained } from './read-retained.js'
export type { ReadRetainedOptions } from './read-retained.js'
