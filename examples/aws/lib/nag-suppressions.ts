import { type CfnElement, Stack, Validations } from 'aws-cdk-lib'
import type { IConstruct } from 'constructs'

const ack = (scope: IConstruct, id: string, reason: string): void => Validations.of(scope).acknowledge({ id: `AwsSolutions::${id}`, reason })

/**
 * cdk-nag AwsSolutions findings the example accepts, each with its reason. The construct already
 * acknowledges its own (DescribeEndpoint's `*`, the unauthenticated pool, the Node runtime).
 */
export function suppressExampleFindings(stack: Stack, parts: { site: IConstruct; bucket: IConstruct; userPool: IConstruct }): void {
  ack(
    parts.bucket,
    'AwsSolutions-S1',
    'A demo site bucket read only through CloudFront (OAC); server access logs would need a second bucket and cost for no demo value. Enable them for production.',
  )
  ack(
    parts.userPool,
    'AwsSolutions-COG8',
    'The Essentials plan (free up to 10,000 monthly active users) keeps an idle demo at no cost; the Plus plan adds threat protection (compromised credentials, adaptive authentication) at a per-user monthly price: choose it for production.',
  )
  ack(parts.site, 'AwsSolutions-CFR3', 'Demo distribution: access logs would need a log bucket with ACLs enabled. Enable standard logging for production.')
  ack(
    parts.site,
    'AwsSolutions-CFR4',
    'The distribution uses the default *.cloudfront.net certificate, for which CloudFront does not let the minimum TLS version be raised; with a custom domain and ACM certificate set minimumProtocolVersion TLSv1.2_2021.',
  )
  ack(parts.site, 'AwsSolutions-CFR1', 'A public demo page for any country: no geo restriction wanted.')
  ack(
    parts.site,
    'AwsSolutions-CFR2',
    'Static files only (the live traffic goes to IoT Core, not through CloudFront); AWS WAF would add a monthly web-ACL charge to a demo. Add one for production.',
  )
  ack(
    parts.userPool,
    'AwsSolutions-COG2',
    'MFA is optional (authenticator apps offered) so that signing up to the demo stays one step; require it (mfa: Mfa.REQUIRED) for production.',
  )
  // CDK's singleton providers live at the stack's root: the AwsCustomResource Lambda and BucketDeployment's
  for (const child of stack.node.children) {
    if (child.node.id.startsWith('AWS679f53fac002430cb0da5b7982bd2287')) {
      ack(
        child,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        "CDK's AwsCustomResource provider (reads the IoT endpoint once per deploy) comes with this role; it only writes its own logs.",
      )
      ack(child, 'AwsSolutions-L1', "Runtime of CDK's own AwsCustomResource provider, chosen by aws-cdk-lib, not by this stack.")
    }
    if (child.node.id.startsWith('Custom::CDKBucketDeployment')) {
      ack(
        child,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        "CDK's BucketDeployment provider comes with this role; it only writes its own logs.",
      )
      ack(child, 'AwsSolutions-L1', "Runtime (Python + AWS CLI layer) of CDK's BucketDeployment provider, chosen by aws-cdk-lib.")
      for (const id of ['Action::s3:GetObject*', 'Action::s3:GetBucket*', 'Action::s3:List*', 'Action::s3:DeleteObject*', 'Action::s3:Abort*'])
        ack(
          child,
          `AwsSolutions-IAM5[${id}]`,
          'BucketDeployment copies the asset zip into the site bucket and prunes old files: CDK grants these action groups on the asset bucket and the site bucket only.',
        )
      ack(
        child,
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
        'Objects of the CDK bootstrap asset bucket: BucketDeployment reads the site zip from there.',
      )
      ack(
        child,
        `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(parts.bucket.node.defaultChild as CfnElement)}.Arn>/*]`,
        'Objects of the site bucket: BucketDeployment writes and prunes the site files there.',
      )
    }
  }
}
