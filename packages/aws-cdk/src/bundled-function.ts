import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib'
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam'
import { Runtime } from 'aws-cdk-lib/aws-lambda'
import { NodejsFunction, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs'
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs'
import { Construct } from 'constructs'
import { requireLocalEsbuild } from './local-esbuild.js'

/**
 * `nodejs24.x`: CDK's NODEJS_LATEST in 2.278, the newest Node runtime available in every region
 * (nodejs26.x is known to CDK but not yet everywhere).
 */
export const NODE_RUNTIME = Runtime.NODEJS_24_X

/** Days every livetopic Lambda keeps its logs unless told otherwise. */
export const DEFAULT_LOG_RETENTION = RetentionDays.ONE_WEEK

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
  /** Memory in MB (CPU grows with it); default 256. */
  memorySize?: number
  /** Concurrent instances this function may never exceed (and always has); default none reserved. */
  reservedConcurrency?: number
  /** How long its log group keeps logs; default one week. */
  logRetention?: RetentionDays
  /** esbuild options on top of ours (local esbuild, never Docker). */
  bundling?: BundlingOptions
}

/**
 * A Node.js Lambda bundled by the local esbuild (no Docker), with its own log group (retention set,
 * deleted with the stack) and a role that may write to that log group only: no AWS-managed policy,
 * no `*` resource.
 */
export class BundledFunction extends Construct {
  /** The Lambda function. */
  readonly function: NodejsFunction
  /** Its execution role: writes to its log group only, until you grant it more. */
  readonly role: Role
  /** Its log group, deleted with the stack. */
  readonly logGroup: LogGroup

  /** Bundles `props.entry`; throws when esbuild is not installed locally (unless Docker bundling is forced). */
  constructor(scope: Construct, id: string, props: BundledFunctionProps) {
    super(scope, id)
    if (props.bundling?.forceDockerBundling !== true) requireLocalEsbuild(this)
    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention ?? DEFAULT_LOG_RETENTION, removalPolicy: RemovalPolicy.DESTROY })
    this.role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') })
    this.role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    )
    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: props.handler ?? 'handler',
      runtime: NODE_RUNTIME,
      role: this.role,
      logGroup: this.logGroup,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(5),
      environment: props.environment ?? {},
      ...(props.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrency } : {}),
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
