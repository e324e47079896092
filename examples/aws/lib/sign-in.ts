import { Duration, RemovalPolicy } from 'aws-cdk-lib'
import {
  AccountRecovery,
  type CfnUserPoolClient,
  FeaturePlan,
  Mfa,
  OAuthScope,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito'
import { Construct } from 'constructs'

/** Options of {@link SignIn}. */
export interface SignInProps {
  /** The site's URL (`https://…/`): where the Hosted UI sends visitors back after sign-in and sign-out. */
  siteUrl: string
  /** Hosted UI domain prefix (`<prefix>.auth.<region>.amazoncognito.com`), unique in the region. */
  domainPrefix: string
}

/**
 * Who may connect: a Cognito user pool visitors sign up to themselves (email as user name, verified
 * by a code), a public app client for the page (authorization code + PKCE, no secret: a browser
 * cannot keep one), and the Hosted UI that signs them in. Deleted with the stack.
 */
export class SignIn extends Construct {
  readonly userPool: UserPool
  readonly client: UserPoolClient
  readonly domain: UserPoolDomain
  /** `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`: the `iss` of its tokens. */
  readonly issuer: string

  constructor(scope: Construct, id: string, props: SignInProps) {
    super(scope, id)
    this.userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: { minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true },
      // one-step sign-up for a demo; users may add an authenticator app
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: FeaturePlan.ESSENTIALS,
      deletionProtection: false,
      removalPolicy: RemovalPolicy.DESTROY,
    })
    const callbackUrls = [props.siteUrl, `${props.siteUrl}index.html`]
    this.client = this.userPool.addClient('Web', {
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls,
        logoutUrls: callbackUrls,
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    })
    // only the Hosted UI signs in (no password or SRP flow straight against the API), then refreshes
    ;(this.client.node.defaultChild as CfnUserPoolClient).explicitAuthFlows = ['ALLOW_REFRESH_TOKEN_AUTH']
    this.domain = this.userPool.addDomain('HostedUi', { cognitoDomain: { domainPrefix: props.domainPrefix } })
    this.issuer = this.userPool.userPoolProviderUrl
  }
}
