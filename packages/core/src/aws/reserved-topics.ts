// AWS IoT Core's reserved `$aws/...` topics, from the developer guide's "Reserved topics" page.
// Publishing to any other reserved topic, or subscribing where only publishing is allowed, can
// end the connection, so the AWS IoT profile refuses those before anything is sent.

const SEGMENT = '[^/]+'
const FORMAT = '(?:json|cbor)'

/** Reserved topics a client may publish to (shadow, jobs, Basic Ingest, Defender, provisioning, ...). */
const PUBLISHABLE: readonly RegExp[] = [
  // Basic Ingest: straight to a rule, no broker fan-out
  `\\$aws/rules/${SEGMENT}/.+`,
  // Device Shadow, classic and named
  `\\$aws/things/${SEGMENT}/shadow(?:/name/${SEGMENT})?/(?:get|update|delete)`,
  // Jobs
  `\\$aws/things/${SEGMENT}/jobs/(?:get|start-next)`,
  `\\$aws/things/${SEGMENT}/jobs/${SEGMENT}/(?:get|update)`,
  // Device Defender metrics
  `\\$aws/things/${SEGMENT}/defender/metrics/${FORMAT}`,
  // MQTT-based file delivery
  `\\$aws/things/${SEGMENT}/streams/${SEGMENT}/(?:get|describe)/${FORMAT}`,
  // Fleet provisioning
  `\\$aws/certificates/create(?:-from-csr)?/${FORMAT}`,
  `\\$aws/provisioning-templates/${SEGMENT}/provision/${FORMAT}`,
  // Device Location
  `\\$aws/device_location/${SEGMENT}/get_position_estimate`,
  // Commands: the device reports an execution's result
  `\\$aws/commands/(?:things|clients)/${SEGMENT}/executions/${SEGMENT}/response(?:/${SEGMENT})?`,
].map((source) => new RegExp(`^${source}$`))

/** Reserved prefixes a client may subscribe under (responses, events, notifications). */
const SUBSCRIBABLE_PREFIXES: readonly string[] = [
  '$aws/events/',
  '$aws/things/',
  '$aws/sitewise/',
  '$aws/certificates/',
  '$aws/provisioning-templates/',
  '$aws/device_location/',
  '$aws/commands/',
]

/** Whether a client may publish to this `$`-topic on AWS IoT Core. */
export function isPublishableReservedTopic(topic: string): boolean {
  return PUBLISHABLE.some((pattern) => pattern.test(topic))
}

/** Whether a client may subscribe to this `$`-filter on AWS IoT Core (`$share/` is MQTT 5 shared subscriptions). */
export function isSubscribableReservedFilter(filter: string): boolean {
  if (filter.startsWith('$share/')) return true
  return SUBSCRIBABLE_PREFIXES.some((prefix) => filter.startsWith(prefix))
}
