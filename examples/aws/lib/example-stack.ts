import { fileURLToPath } from 'node:url'
import { LiveTopicBroker } from '@livetopic/aws-cdk'
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib'
import { CachePolicy, Distribution, HttpVersion, ViewerProtocolPolicy } from 'aws-cdk-lib/aws-cloudfront'
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins'
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3'
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment'
import type { Construct } from 'constructs'
import { DEPLOYED_CONFIG_FILE, topics, type DeployedConfig } from '../../shared/config.js'
import { exampleRules } from '../../shared/rules.js'
import { suppressExampleFindings } from './nag-suppressions.js'

/** Client ids of SigV4 browsers (a prefix: each tab makes its own id). */
const SIGV4_CLIENT_IDS = 'sigv4-*'

const file = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

/** Options of {@link ExampleStack}. */
export interface ExampleStackProps extends StackProps {
  /** The built React example (index.html + assets). */
  siteDir: string
}

/**
 * The example app on AWS: the same authorizer and rules files the local broker runs, deployed to
 * IoT Core by `LiveTopicBroker`, and the React example on S3 + CloudFront with a generated
 * `config.json` that points the page at the deployed endpoint and authorizer.
 */
export class ExampleStack extends Stack {
  readonly broker: LiveTopicBroker

  constructor(scope: Construct, id: string, props: ExampleStackProps) {
    super(scope, id, props)
    this.broker = new LiveTopicBroker(this, 'Broker', {
      authorizer: { entry: file('../../shared/authorizer.ts') },
      rules: exampleRules(),
      // until the construct reads each rule's `lambda` itself (and creates the presence table): the same entries
      ruleActions: {
        chat: { entry: file('../../shared/lambda/chat.ts'), publishes: [topics.room] },
        presence: { entry: file('../../shared/lambda/presence.ts'), retains: [topics.roster] },
      },
      // for apps that sign with SigV4 instead: read-only announcements for unauthenticated browsers
      identityPool: { clientIds: [SIGV4_CLIENT_IDS], subscribe: [topics.announcements], receive: [topics.announcements] },
    })

    const bucket = new Bucket(this, 'SiteBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
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
    const config: DeployedConfig = {
      endpoint: this.broker.endpoint,
      authorizerName: this.broker.authorizerName,
      region: this.region,
      ...(this.broker.identityPool ? { identityPoolId: this.broker.identityPool.identityPoolId } : {}),
    }
    new BucketDeployment(this, 'SiteFiles', {
      sources: [Source.asset(props.siteDir), Source.jsonData(DEPLOYED_CONFIG_FILE, config)],
      destinationBucket: bucket,
    })
    new CfnOutput(this, 'SiteUrl', { value: `https://${distribution.distributionDomainName}/`, description: 'the React example on CloudFront' })
    const pool = this.broker.identityPool
    suppressExampleFindings(this, {
      site: distribution,
      bucket,
      ...(pool ? { identityPoolRole: pool.unauthenticatedRole } : {}),
      identityPoolPatterns: [`arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:client/${SIGV4_CLIENT_IDS}`],
    })
  }
}
