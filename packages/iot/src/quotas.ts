/**
 * AWS IoT Core's documented quotas, in one place: core's `awsIotProfile`, the tabs hub, the local
 * stand-in and the CDK construct all read these. Defaults of the "AWS IoT Core endpoints and
 * quotas" page (https://docs.aws.amazon.com/general/latest/gr/iot-core.html, "Message broker and
 * protocol limits and quotas") unless a line says otherwise; some are adjustable per Region.
 * Named constants (not one object) so a browser bundle keeps only the figures it reads.
 */

/** Bytes of one PUBLISH payload: 128 KB. */
export const MAX_PAYLOAD_BYTES = 128 * 1024
/** Bytes of a topic or topic filter, UTF-8 ("Topic size"). */
export const MAX_TOPIC_BYTES = 256
/** `/` characters in a topic or filter ("Maximum number of slashes in topic and topic filter"). */
export const MAX_TOPIC_SLASHES = 7
/** Topic filters in one SUBSCRIBE ("Subscriptions per subscribe request"); more disconnects the client. */
export const MAX_FILTERS_PER_SUBSCRIBE = 8
/** Bytes of a client id, UTF-8 ("Client ID size"). */
export const MAX_CLIENT_ID_BYTES = 128
/** Keep-alive bounds in seconds ("Connection inactivity (keep-alive interval)"): below 30 is raised to 30. */
export const MIN_KEEP_ALIVE_SECONDS = 30
/** Largest keep-alive in seconds. */
export const MAX_KEEP_ALIVE_SECONDS = 1200
/**
 * Subscriptions one connection may hold ("Subscriptions per connection", not adjustable): "AWS IoT Core
 * might reject subscription requests on the same connection in excess of this amount and the
 * connection is closed".
 */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 50
/**
 * PUBLISH requests per second per connection ("Publish requests per second per connection", not
 * adjustable; inbound and outbound): "Publish requests that exceed that quota are discarded".
 */
export const MAX_PUBLISHES_PER_SECOND_PER_CONNECTION = 100
/** CONNECT requests per second from one client id ("Connect requests per second per client ID", not adjustable). */
export const MAX_CONNECTS_PER_SECOND_PER_CLIENT_ID = 1
/**
 * Retained messages one account may store ("Maximum number of retained messages per account",
 * adjustable). Past it IoT "returns a throttled response to messages published with RETAIN set and
 * payloads greater than 0 bytes" (developer guide, "Using MQTT retained messages").
 */
export const MAX_RETAINED_MESSAGES_PER_ACCOUNT = 500_000
/** Bytes of one retained message: a retained message is a PUBLISH, so the payload limit (128 KB). */
export const MAX_RETAINED_MESSAGE_BYTES = 128 * 1024
/**
 * Messages per second IoT queues for offline persistent sessions, per account ("Queued messages per
 * second per account"); "messages that exceed that limit will be dropped" (developer guide,
 * "Using MQTT persistent sessions"). IoT documents no count per session.
 */
export const MAX_QUEUED_MESSAGES_PER_SECOND_PER_ACCOUNT = 500
/** Unacknowledged QoS 1 messages in flight to or from one client ("Maximum inbound/outbound unacknowledged messages"). */
export const MAX_IN_FLIGHT_MESSAGES = 100
/**
 * Seconds a persistent session is kept after its client disconnects, by default ("Persistent session
 * expiry period", adjustable): then IoT "terminates the session and discards any associated queued messages".
 */
export const DEFAULT_SESSION_EXPIRY_SECONDS = 3600
/** Longest persistent session expiry an account can configure: 7 days (developer guide, MQTT 5 "Session Expiry Interval"). */
export const MAX_SESSION_EXPIRY_SECONDS = 7 * 24 * 3600
/**
 * Highest Topic Alias a client may use in a PUBLISH to IoT (MQTT 5 CONNACK "Topic Alias Maximum";
 * "Topic aliases per connection", 8, in "AWS IoT Core endpoints and quotas"). A higher one is a
 * protocol error: DISCONNECT 0x94.
 */
export const TOPIC_ALIAS_MAXIMUM = 8
/**
 * Bytes of one MQTT packet IoT accepts (MQTT 5 CONNACK "Maximum Packet Size"). IoT documents the
 * payload (128 KB), the topic (256 B) and MQTT 5 user properties (8 KB, "User properties size"), not
 * the packet; this bound is their sum with headroom for the header and other properties (146 KB).
 */
export const MAX_PACKET_BYTES = 146 * 1024
/** Seconds IoT keeps retrying an unacknowledged QoS 1 message to a connected client ("Maximum retry interval"). */
export const MAX_QOS1_RETRY_SECONDS = 3600
/** Bounds of a custom authorizer's `disconnectAfterInSeconds` and `refreshAfterInSeconds` (custom-auth docs). */
export const MIN_AUTHORIZER_SECONDS = 300
/** Upper bound of `disconnectAfterInSeconds` and `refreshAfterInSeconds`: 24 h. */
export const MAX_AUTHORIZER_SECONDS = 86_400
/** Policy documents one authorizer response may return (custom-auth docs). */
export const MAX_AUTHORIZER_POLICIES = 10
/** Characters of one policy document in an authorizer response. */
export const MAX_AUTHORIZER_POLICY_CHARS = 2048
/** Seconds a custom authorizer Lambda may run before IoT gives up (custom-auth docs). */
export const AUTHORIZER_TIMEOUT_SECONDS = 5
