// AWS IoT Core's custom-authorizer shapes (custom-auth-lambda), structurally the same as
// `@types/aws-lambda`'s IoTCustomAuthorizerEvent / IoTCustomAuthorizerResult, so a handler built
// here is an `IoTCustomAuthorizerHandler` without this package depending on those types.

/** The request IoT Core passes to a custom authorizer Lambda. */
export interface IotAuthorizerEvent {
  /** The token from the query string, an upgrade header or the MQTT username query (`tokenKeyName`). */
  token?: string
  /** Whether IoT Core verified the token's signature (only when the authorizer has token signing on). */
  signatureVerified: boolean
  /** The protocols the request came over. */
  protocols: ('http' | 'mqtt' | 'tls')[]
  /** What each protocol of the request carried. */
  protocolData: {
    /** The TLS handshake. */
    tls?: {
      /** The SNI host name the client asked for. */
      serverName: string
    }
    /** The HTTP request (the WebSocket upgrade). */
    http?: {
      /** Request headers. */
      headers: Record<string, string>
      /** The raw query string. */
      queryString: string
    }
    /** `password` is base64-encoded. */
    mqtt?: {
      /** The CONNECT packet's username. */
      username?: string
      /** The CONNECT packet's password, base64-encoded. */
      password?: string
      /** The MQTT client id. */
      clientId: string
    }
  }
  /** About the connection. */
  connectionMetadata: {
    /** IoT Core's id of the connection (to find it in IoT's logs). */
    id: string
  }
}

/** One statement of an IoT policy (`Condition`/`NotAction` left out: the example needs none). */
export interface IotPolicyStatement {
  /** Whether the statement grants or denies. */
  Effect: 'Allow' | 'Deny'
  /** IoT actions, e.g. `iot:Connect`, `iot:Subscribe`, `iot:Receive`, `iot:Publish`. */
  Action: string | string[]
  /** ARNs of client ids (`client/…`), topics (`topic/…`) or filters (`topicfilter/…`); `*` allowed. */
  Resource: string | string[]
}

/** An IoT policy document, at most 2048 characters as JSON; at most 10 per result. */
export interface IotPolicyDocument {
  /** Policy language version: `2012-10-17`. */
  Version: string
  /** What the policy allows and denies. */
  Statement: IotPolicyStatement[]
}

/** What a custom authorizer answers. */
export interface IotAuthorizerResult {
  /** False refuses the connection. */
  isAuthenticated: boolean
  /** `[a-zA-Z0-9]{1,128}` */
  principalId: string
  /** 300–86400 on IoT Core: the connection is closed after this. */
  disconnectAfterInSeconds: number
  /** 300–86400 on IoT Core: the authorizer is asked again then; a refusal disconnects. */
  refreshAfterInSeconds: number
  /** What the connection may do (at most 10 documents). */
  policyDocuments: IotPolicyDocument[]
}
