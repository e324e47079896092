// AWS IoT Core's custom-authorizer shapes (custom-auth-lambda), structurally the same as
// `@types/aws-lambda`'s IoTCustomAuthorizerEvent / IoTCustomAuthorizerResult, so a handler built
// here is an `IoTCustomAuthorizerHandler` without this package depending on those types.

/** The request IoT Core passes to a custom authorizer Lambda. */
export interface IotAuthorizerEvent {
  /** The token from the query string, an upgrade header or the MQTT username query (`tokenKeyName`). */
  token?: string
  signatureVerified: boolean
  protocols: ('http' | 'mqtt' | 'tls')[]
  protocolData: {
    tls?: { serverName: string }
    http?: { headers: Record<string, string>; queryString: string }
    /** `password` is base64-encoded. */
    mqtt?: { username?: string; password?: string; clientId: string }
  }
  connectionMetadata: { id: string }
}

/** One statement of an IoT policy (`Condition`/`NotAction` left out: the example needs none). */
export interface IotPolicyStatement {
  Effect: 'Allow' | 'Deny'
  Action: string | string[]
  Resource: string | string[]
}

/** An IoT policy document, at most 2048 characters as JSON; at most 10 per result. */
export interface IotPolicyDocument {
  Version: string
  Statement: IotPolicyStatement[]
}

/** What a custom authorizer answers. */
export interface IotAuthorizerResult {
  isAuthenticated: boolean
  /** `[a-zA-Z0-9]{1,128}` */
  principalId: string
  /** 300–86400 on IoT Core: the connection is closed after this. */
  disconnectAfterInSeconds: number
  /** 300–86400 on IoT Core: the authorizer is asked again then; a refusal disconnects. */
  refreshAfterInSeconds: number
  policyDocuments: IotPolicyDocument[]
}
