import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib'
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam'
import { Runtime } from 'aws-cdk-lib/aws-lambda'
import { NodejsFunction, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs'
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs'
import { Construct } from 'constructs'

/**
 * `nodejs24.x`: CDK's NODEJS_LATEST in 2.278, the newest Node runtime available in every region
 * (nodejs26.x is known to CDK but not yet everywhere).
 */
export const NODE_RUNTIME = Runtime.NODEJS_24_X

/** Options of {@link BundledFunction}. */
export interface BundledFunctionProps {
  /** TypeScript or JavaScript file of the handler. */
  entry: string
  /** Exported name of the handler; default `handler`. */
  handler?: string
  /** Environment variables of the function. */
  environment?: Record<string, string>
  /** Time limit; IoT gives a custom authorizer 5 s. */
  timeout?: Duration
  /** esbuild options on top of ours (local esbuild, never Docker). */
  bundling?: BundlingOptions
}

/**
 * A Node.js Lambda bundled by the local esbuild (no Docker), with its own log group (one week)
 * and a role that may write to that log group only: no AWS-managed policy, no `*` resource.
 */
export class BundledFunction extends Construct {
  readonly function: NodejsFunction
  readonly role: Role

  constructor(scope: Construct, id: string, props: BundledFunctionProps) {
    super(scope, id)
    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_WEEK, removalPolicy: RemovalPolicy.DESTROY })
    this.role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') })
    this.role.addToPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
    )
    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: props.handler ?? 'handler',
      runtime: NODE_RUNTIME,
      role: this.role,
      logGroup,
      memorySize: 256,
      timeout: props.timeout ?? Duration.seconds(5),
      environment: props.environment ?? {},
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.CJS,
        target: 'node24',
        minify: true,
        sourceMap: false,
        ...props.bundling,
      },
    })
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions::AwsSolutions-L1',
      reason:
        "nodejs24.x is CDK 2.278's NODEJS_LATEST, the newest Node runtime available in every region; nodejs26.x (the newest CDK knows) is not yet in all regions.",
    })
  }
}
