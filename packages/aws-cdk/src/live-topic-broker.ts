import type { RuleInput } from '@livetopic/iot'
import { CfnOutput } from 'aws-cdk-lib'
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs'
import { Construct } from 'constructs'
import { IotDataEndpoint } from './data-endpoint.js'
import { IotIdentityPool, type IdentityPoolAccess } from './identity-pool.js'
import { IotCustomAuthorizer, type AuthorizerProps } from './iot-authorizer.js'
import { IotTopicRules, type RuleActionHandler } from './topic-rules.js'

/** Options of {@link LiveTopicBroker}: what `startBroker` takes, as files and arrays a deployment can use. */
export interface LiveTopicBrokerProps {
  /** The custom authorizer (the file `livetopic-broker --authorizer` runs). */
  authorizer: AuthorizerProps
  /** The same array `startBroker({ rules })` takes. */
  rules?: readonly RuleInput[]
  /** Handler files for the rules whose action is a JavaScript function, by rule name. */
  ruleActions?: Record<string, RuleActionHandler>
  /** A Cognito identity pool for unauthenticated browsers signing with SigV4, allowed these patterns only. */
  identityPool?: IdentityPoolAccess
  /** esbuild options for every bundled Lambda. */
  bundling?: BundlingOptions
  /** Emit CloudFormation outputs (endpoint, authorizer name, identity pool id); default true. */
  outputs?: boolean
}

/**
 * The AWS side of what `startBroker` runs locally: the authorizer Lambda behind an
 * `AWS::IoT::Authorizer`, the topic rules, an optional Cognito identity pool, and the IoT data
 * endpoint — exactly what browser code needs to connect.
 */
export class LiveTopicBroker extends Construct {
  /** IoT data endpoint host (`…-ats.iot.<region>.amazonaws.com`), resolved at deploy time. */
  readonly endpoint: string
  /** The name clients pass as `authorizerName`. */
  readonly authorizerName: string
  /** The authorizer Lambda and its `AWS::IoT::Authorizer`. */
  readonly authorizer: IotCustomAuthorizer
  /** The topic rules (none when `rules` is not given). */
  readonly rules: IotTopicRules
  /** The Cognito identity pool, when `identityPool` is given. */
  readonly identityPool?: IotIdentityPool
  /** The custom resource that reads the IoT data endpoint at deploy time. */
  readonly dataEndpoint: IotDataEndpoint

  /** Adds it all under `scope`; throws, naming the rule, for a rule the stand-in would refuse. */
  constructor(scope: Construct, id: string, props: LiveTopicBrokerProps) {
    super(scope, id)
    this.dataEndpoint = new IotDataEndpoint(this, 'DataEndpoint')
    this.endpoint = this.dataEndpoint.address
    this.authorizer = new IotCustomAuthorizer(this, 'Authorizer', {
      ...props.authorizer,
      ...(props.bundling && !props.authorizer.bundling ? { bundling: props.bundling } : {}),
    })
    this.authorizerName = this.authorizer.authorizerName
    this.rules = new IotTopicRules(this, 'Rules', {
      rules: props.rules ?? [],
      actions: props.ruleActions ?? {},
      endpoint: this.endpoint,
      ...(props.bundling ? { bundling: props.bundling } : {}),
    })
    if (props.identityPool) this.identityPool = new IotIdentityPool(this, 'IdentityPool', props.identityPool)
    if (props.outputs !== false) {
      new CfnOutput(this, 'Endpoint', { value: this.endpoint, description: 'IoT data endpoint (iot:Data-ATS): iotCustomAuthorizer({ endpoint })' })
      new CfnOutput(this, 'AuthorizerName', { value: this.authorizerName, description: 'custom authorizer name: iotCustomAuthorizer({ authorizerName })' })
      if (this.identityPool)
        new CfnOutput(this, 'IdentityPoolId', { value: this.identityPool.identityPoolId, description: 'Cognito identity pool for SigV4 (unauthenticated)' })
    }
  }
}
