import { fileURLToPath } from 'node:url'
import { LiveTopicBroker } from '@livetopic/aws-cdk'
import { checkRules } from '@livetopic/iot'
import { Aws, CfnOutput, Fn, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib'
import { CachePolicy, Distribution, HttpVersion, ViewerProtocolPolicy } from 'aws-cdk-lib/aws-cloudfront'
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins'
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda'
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs'
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3'
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment'
import type { Construct } from 'constructs'
import { DEPLOYED_CONFIG_FILE, topics, type CognitoAuthConfig, type DeployedConfig } from '../../shared/config.js'
import { exampleRules } from '../../shared/rules.js'
import { suppressExampleFindings } from './nag-suppressions.js'
import { PRESENCE_TABLE_ENV, PresenceTable } from './presence-table.js'
import { SignIn } from './sign-in.js'

const file = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

/** Options of {@link ExampleStack}. */
export interface ExampleStackProps extends StackProps {
  /** The built React example (index.html + assets). */
  siteDir: string
  /** Hosted UI domain prefix, unique in the region; default `livetopic-<account id>`. */
  authDomainPrefix?: string
  /** Reserved concurrency of the authorizer (the anonymous-cost cap); `false` for none. Default the construct's, 10. */
  authorizerConcurrency?: number | false
}

/** Lambda rules that keep the roster (lifecycle events, presence states), in the presence table. */
const presenceRules = (rules: ReturnType<typeof exampleRules>): string[] => {
  checkRules(rules)
  return rules.flatMap((rule) => ('lambda' in rule && rule.lambda.retains?.includes(topics.roster) && rule.name ? [rule.name] : []))
}

/**
 * The example app on AWS: a Cognito user pool visitors sign up to, the shared authorizer deployed
 * to verify its ID tokens (each user connects only as themselves), the shared rules as Lambda rule
 * actions with the roster kept in DynamoDB, and the React example on S3 + CloudFront with a
 * generated `config.json` pointing the page at the endpoint, the authorizer and the Hosted UI.
 * Everything it creates is deleted by `cdk destroy`.
 */
export class ExampleStack extends Stack {
  readonly broker: LiveTopicBroker
  readonly signIn: SignIn
  readonly presence: PresenceTable

  constructor(scope: Construct, id: string, props: ExampleStackProps) {
    super(scope, id, props)
    const bucket = new Bucket(this, 'SiteBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // emptied by the deployment below when the stack is deleted (retainOnDelete: false), so no
      // auto-delete provider Lambda (whose log group CDK cannot set) is needed
      removalPolicy: RemovalPolicy.DESTROY,
    })
    const origin = S3BucketOrigin.withOriginAccessControl(bucket)
    // Vite's assets are content-hashed and cached; index.html and config.json change with each
    // deploy and are never cached, so no invalidation is needed (and no cloudfront:* on "*")
    const fresh = { origin, viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS, cachePolicy: CachePolicy.CACHING_DISABLED }
    const distribution = new Distribution(this, 'Site', {
      defaultBehavior: { origin, viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS },
      additionalBehaviors: { '/index.html': fresh, [`/${DEPLOYED_CONFIG_FILE}`]: fresh },
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
    })
    const siteUrl = `https://${distribution.distributionDomainName}/`

    this.signIn = new SignIn(this, 'SignIn', {
      siteUrl,
      domainPrefix: props.authDomainPrefix ?? Fn.join('-', ['livetopic', Aws.ACCOUNT_ID]),
    })
    const { userPool, client, domain } = this.signIn

    const rules = exampleRules()
    this.broker = new LiveTopicBroker(this, 'Broker', {
      authorizer: {
        entry: file('../../shared/authorizer.ts'),
        // the authorizer verifies Cognito ID tokens of this pool's web client: nobody else connects
        environment: { LIVETOPIC_JWT_ISSUER: this.signIn.issuer, LIVETOPIC_JWT_AUDIENCE: client.userPoolClientId, LIVETOPIC_JWT_TOKEN_USE: 'id' },
        ...(props.authorizerConcurrency !== undefined ? { reservedConcurrency: props.authorizerConcurrency } : {}),
      },
      // Lambda rules: each deploys its own handler file, the one the stand-in runs
      rules,
    })

    this.presence = new PresenceTable(this, 'Presence')
    for (const name of presenceRules(rules)) {
      const fn = this.broker.rules.functions[name]!
      fn.addEnvironment(PRESENCE_TABLE_ENV, this.presence.table.tableName)
      this.presence.table.grantReadWriteData(fn)
      // an instance may wait for the one holding the publishing lease (docs/presence.md)
      ;(fn.node.defaultChild as CfnFunction).timeout = 30
    }

    // the page signs visitors in through the Hosted UI with this client, then connects with their ID token
    const auth: CognitoAuthConfig = {
      kind: 'cognito',
      region: this.region,
      userPoolId: userPool.userPoolId,
      clientId: client.userPoolClientId,
      domain: domain.baseUrl(),
    }
    const config: DeployedConfig = { endpoint: this.broker.endpoint, authorizerName: this.broker.authorizerName, region: this.region, auth }
    new BucketDeployment(this, 'SiteFiles', {
      sources: [Source.asset(props.siteDir), Source.jsonData(DEPLOYED_CONFIG_FILE, config)],
      destinationBucket: bucket,
      retainOnDelete: false,
      logGroup: new LogGroup(this, 'SiteFilesLogs', { retention: RetentionDays.ONE_WEEK, removalPolicy: RemovalPolicy.DESTROY }),
    })

    new CfnOutput(this, 'SiteUrl', { value: siteUrl, description: 'the app: open it, choose "Sign in", then "Sign up" to create the first user' })
    new CfnOutput(this, 'SignUpUrl', {
      value: `${domain.baseUrl()}/signup?client_id=${client.userPoolClientId}&response_type=code&redirect_uri=${siteUrl}`,
      description: 'the Hosted UI sign-up page: email + password, then the code Cognito emails you',
    })
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId, description: 'the Cognito user pool of the app (users, sign-up settings)' })
    suppressExampleFindings(this, { site: distribution, bucket, userPool })
  }
}
