/** The event AWS IoT Core passes to a custom authorizer (custom-auth-lambda), as the stand-in builds it. */
export interface AuthorizerEvent {
  /** Value of the token key (query parameter, upgrade header or username query); absent when none was sent. */
  token?: string
  /** True when token signing is on and the signature was checked; the authorizer only runs on a valid signature. */
  signatureVerified: boolean
  /** `['mqtt', 'websockets']` over WebSocket, `['mqtt']` over TCP. */
  protocols: string[]
  protocolData: {
    tls?: { serverName: string }
    http?: { headers: Record<string, string>; queryString: string }
    mqtt?: { username?: string; password?: string; clientId: string }
  }
  connectionMetadata: { id: string }
}

/** An IAM-style policy document (the JSON string form travels in {@link AuthorizerResponse.policyDocuments}). */
export interface PolicyDocument {
  Version?: string
  Statement: PolicyStatement[] | PolicyStatement
}

/** One policy statement; `Condition`, `NotAction` and `NotResource` are not supported by the stand-in. */
export interface PolicyStatement {
  Effect: 'Allow' | 'Deny'
  Action: string | string[]
  Resource: string | string[]
}

/** What a custom authorizer returns, as IoT Core expects it. */
export interface AuthorizerResponse {
  isAuthenticated: boolean
  /** `[a-zA-Z0-9]{1,128}` */
  principalId: string
  /** At most 10 JSON strings (or objects, a stand-in convenience), each at most 2048 characters. */
  policyDocuments: (string | PolicyDocument)[]
  /** 300–86400 (default 86400): the connection is closed after this. */
  disconnectAfterInSeconds?: number
  /** 300–86400: the authorizer is called again then and the new policies apply; a failure disconnects. */
  refreshAfterInSeconds?: number
}

/** A custom authorizer: IoT's Lambda as a local function. */
export type Authorizer = (event: AuthorizerEvent) => AuthorizerResponse | Promise<AuthorizerResponse>
