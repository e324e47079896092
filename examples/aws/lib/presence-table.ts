import { RemovalPolicy } from 'aws-cdk-lib'
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb'
import { Construct } from 'constructs'

/** Environment variable that names the table to the presence handler. */
export const PRESENCE_TABLE_ENV = 'LIVETOPIC_PRESENCE_TABLE'

/**
 * The roster's durable state: one item per (pk, sk) written conditionally by the presence rule's
 * Lambda, stale entries expired by DynamoDB's TTL on `expiresAt`. On demand (no idle cost),
 * point-in-time recovery on, deleted with the stack.
 */
export class PresenceTable extends Construct {
  readonly table: Table

  constructor(scope: Construct, id: string) {
    super(scope, id)
    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiresAt',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: false,
      removalPolicy: RemovalPolicy.DESTROY,
    })
  }
}
