import { jwtAuthorizer, type IotAuthorizerHandler } from '@livetopic/core/aws/authorizer'
import { userIdOf, userPolicy } from './policy.js'

/** Where the tokens come from: the stand-in's development issuer locally, your Cognito or OIDC issuer on AWS. */
export interface IssuerOptions {
  issuer: string
  audience: string
  /** Shortest session; default IoT's 300 s (tests go lower). */
  minSessionSeconds?: number
}

/**
 * The custom authorizer, as the Lambda it is on AWS IoT Core: verifies the caller's JWT against the
 * issuer's keys (aws-jwt-verify) and answers with the user's policy. The stand-in calls the same code.
 */
export function createAuthorizer({ issuer, audience, minSessionSeconds }: IssuerOptions): IotAuthorizerHandler {
  return jwtAuthorizer({
    issuer,
    audience,
    ...(minSessionSeconds !== undefined ? { minSessionSeconds } : {}),
    policy: (claims) => {
      const userId = userIdOf(claims.sub ?? '')
      return userId ? { principalId: userId.replace(/-/g, ''), policyDocuments: [userPolicy(userId)] } : null
    },
  })
}

/** The Lambda handler on AWS (infra/app.ts sets LIVETOPIC_ISSUER and LIVETOPIC_AUDIENCE). */
export const handler: IotAuthorizerHandler = (event) =>
  createAuthorizer({ issuer: process.env.LIVETOPIC_ISSUER ?? '', audience: process.env.LIVETOPIC_AUDIENCE ?? '' })(event)
