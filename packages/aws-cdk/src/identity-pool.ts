import { Validations } from 'aws-cdk-lib'
import { CfnIdentityPool, CfnIdentityPoolRoleAttachment } from 'aws-cdk-lib/aws-cognito'
import { FederatedPrincipal, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam'
import { Construct } from 'constructs'
import { iotArn } from './iot-arn.js'

/**
 * What unauthenticated browsers (SigV4 through a Cognito identity pool) may do. IoT uses this IAM
 * policy alone for unauthenticated identities. Patterns are IoT policy resources: `*` and `?`
 * are wildcards, MQTT's `+` and `#` are literal.
 */
export interface IdentityPoolAccess {
  /** Client ids they may connect as (e.g. `browser-*`). */
  clientIds: string[]
  /** Topics they may publish to. */
  publish?: string[]
  /** Topic filters they may subscribe to. */
  subscribe?: string[]
  /** Topics they may receive from. */
  receive?: string[]
}

/** A Cognito identity pool whose unauthenticated role may use IoT only on the given patterns. */
export class IotIdentityPool extends Construct {
  /** The `AWS::Cognito::IdentityPool` resource. */
  readonly pool: CfnIdentityPool
  /** The role of unauthenticated identities: IoT on the given patterns only. */
  readonly unauthenticatedRole: Role
  /** The pool's id (a deploy-time token), for `fromCognitoIdentityPool({ identityPoolId })`. */
  readonly identityPoolId: string

  /** Adds the pool and its role; throws when `access.clientIds` is empty. */
  constructor(scope: Construct, id: string, access: IdentityPoolAccess) {
    super(scope, id)
    if (access.clientIds.length === 0) throw new Error('identityPool.clientIds needs at least one client id pattern')
    this.pool = new CfnIdentityPool(this, 'Pool', { allowUnauthenticatedIdentities: true, allowClassicFlow: false })
    this.identityPoolId = this.pool.ref
    Validations.of(this.pool).acknowledge({
      id: 'AwsSolutions::AwsSolutions-COG7',
      reason:
        'Unauthenticated identities are the purpose of this pool: browsers sign IoT WebSocket URLs with SigV4 without signing in. Their role allows only iot:Connect/Publish/Subscribe/Receive on the patterns given.',
    })
    this.unauthenticatedRole = new Role(this, 'UnauthenticatedRole', {
      assumedBy: new FederatedPrincipal(
        'cognito-identity.amazonaws.com',
        {
          StringEquals: { 'cognito-identity.amazonaws.com:aud': this.pool.ref },
          'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'unauthenticated' },
        },
        'sts:AssumeRoleWithWebIdentity',
      ),
    })
    const allow = (action: string, kind: 'client' | 'topic' | 'topicfilter', patterns: string[] | undefined): void => {
      if (patterns?.length)
        this.unauthenticatedRole.addToPolicy(new PolicyStatement({ actions: [action], resources: patterns.map((p) => iotArn(this, kind, p)) }))
    }
    allow('iot:Connect', 'client', access.clientIds)
    allow('iot:Publish', 'topic', access.publish)
    allow('iot:Subscribe', 'topicfilter', access.subscribe)
    allow('iot:Receive', 'topic', access.receive)
    new CfnIdentityPoolRoleAttachment(this, 'Roles', { identityPoolId: this.pool.ref, roles: { unauthenticated: this.unauthenticatedRole.roleArn } })
  }
}
