import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources'
import { RemovalPolicy, Validations } from 'aws-cdk-lib'
import { PolicyStatement } from 'aws-cdk-lib/aws-iam'
import { LogGroup } from 'aws-cdk-lib/aws-logs'
import { Construct } from 'constructs'
import { DEFAULT_LOG_RETENTION } from './bundled-function.js'

/**
 * The account's IoT data endpoint (`iot:Data-ATS`, e.g. `abc123-ats.iot.us-east-1.amazonaws.com`),
 * read at deploy time by a custom resource calling DescribeEndpoint.
 */
export class IotDataEndpoint extends Construct {
  /** Host name of the endpoint (a deploy-time token). */
  readonly address: string
  /** The custom resource that calls DescribeEndpoint. */
  readonly resource: AwsCustomResource

  /** Adds the custom resource (with its own log group, kept a week). */
  constructor(scope: Construct, id: string) {
    super(scope, id)
    const call = {
      service: 'Iot',
      action: 'describeEndpoint',
      parameters: { endpointType: 'iot:Data-ATS' },
      physicalResourceId: PhysicalResourceId.of('iot-data-ats-endpoint'),
    }
    this.resource = new AwsCustomResource(this, 'DescribeEndpoint', {
      onCreate: call,
      onUpdate: call,
      installLatestAwsSdk: false,
      // its own log group, kept a week and deleted with the stack (Lambda's implicit one is never either)
      logGroup: new LogGroup(this, 'Logs', { retention: DEFAULT_LOG_RETENTION, removalPolicy: RemovalPolicy.DESTROY }),
      // DescribeEndpoint supports no resource-level permissions: IAM accepts only `*` for it
      policy: AwsCustomResourcePolicy.fromStatements([new PolicyStatement({ actions: ['iot:DescribeEndpoint'], resources: ['*'] })]),
    })
    this.address = this.resource.getResponseField('endpointAddress')
    Validations.of(this.resource).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'iot:DescribeEndpoint supports no resource-level permissions (no resource type in the Service Authorization Reference): IAM accepts only "*" for it. The statement allows that one read-only action and nothing else.',
    })
  }
}
