import { generateKeyPairSync } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { App, type CfnElement, Stack } from 'aws-cdk-lib'
import { Match, Template } from 'aws-cdk-lib/assertions'
import { LiveTopicBroker, type LiveTopicBrokerProps } from '@livetopic/aws-cdk'
import type { TopicRule } from '@livetopic/broker'

// Bundling is skipped here ('aws:cdk:bundling-stacks': []): test/aws-cdk-synth bundles the real example.
const entry = fileURLToPath(new URL('./fixtures/handler.ts', import.meta.url))

function synth(props: Partial<LiveTopicBrokerProps> = {}): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } })
  const stack = new Stack(app, 'Test')
  new LiveTopicBroker(stack, 'Broker', { authorizer: { entry }, ...props })
  return Template.fromStack(stack)
}

const pem = (bits: number): string => generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ type: 'spki', format: 'pem' }).toString()
const republishRule: TopicRule = { name: 'chat', sql: "SELECT text, topic(2) AS room FROM 'chat/+/in'", republish: { topic: 'rooms/${topic(2)}/out', qos: 1 } }

describe('LiveTopicBroker (synth, no bundling)', { timeout: 60_000 }, () => {
  // the first synth loads much of aws-cdk-lib (lazily required): done once here, with room for a loaded machine
  beforeAll(() => void synth(), 120_000)

  it('makes the authorizer Lambda, an AWS::IoT::Authorizer with signing disabled, and a permission scoped to that authorizer', () => {
    const t = synth()
    t.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs24.x', Handler: 'index.handler', Timeout: 5 })
    t.hasResourceProperties('AWS::IoT::Authorizer', { SigningDisabled: true, Status: 'ACTIVE', TokenKeyName: 'token', TokenSigningPublicKeys: Match.absent() })
    const [authorizerId] = Object.keys(t.findResources('AWS::IoT::Authorizer'))
    t.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'iot.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [authorizerId, 'Arn'] },
      SourceAccount: { Ref: 'AWS::AccountId' },
    })
    // the data endpoint comes from DescribeEndpoint(iot:Data-ATS) at deploy time
    t.hasResourceProperties('Custom::AWS', { Create: Match.stringLikeRegexp('"action":"describeEndpoint".*"endpointType":"iot:Data-ATS"') })
    expect(Object.keys(t.findOutputs('*')).sort()).toEqual([expect.stringMatching(/AuthorizerName/), expect.stringMatching(/Endpoint/)])
  })

  it('turns token signing on with the public keys given, and refuses keys under 2,048 bits as IoT does', () => {
    const key = pem(2048)
    synth({ authorizer: { entry, publicKeys: [key], tokenKeyName: 'tok' } }).hasResourceProperties('AWS::IoT::Authorizer', {
      SigningDisabled: false,
      TokenKeyName: 'tok',
      TokenSigningPublicKeys: { key1: key },
    })
    expect(() => synth({ authorizer: { entry, publicKeys: [pem(1024)] } })).toThrow(/token signing key 1 has 1024 bits: IoT requires at least 2048/)
  })

  it('deploys republish rules with SQL 2016-03-23 and a role that may publish to the target only', () => {
    const t = synth({ rules: [republishRule] })
    t.hasResourceProperties('AWS::IoT::TopicRule', {
      TopicRulePayload: {
        Sql: republishRule.sql,
        AwsIotSqlVersion: '2016-03-23',
        RuleDisabled: false,
        Actions: [{ Republish: { Topic: 'rooms/${topic(2)}/out', Qos: 1, RoleArn: Match.anyValue() } }],
      },
    })
    t.hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'iot.amazonaws.com' } })] } })
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: 'iot:Publish',
            Effect: 'Allow',
            Resource: {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iot:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':topic/rooms/*/out']],
            },
          },
        ],
      },
    })
  })

  it('deploys a function action as the handler file given, invoked by IoT for that rule only', () => {
    const t = synth({
      rules: [{ name: 'roster', sql: "SELECT * FROM '$aws/events/presence/+/+'", action: () => {} }],
      ruleActions: { roster: { entry, retains: ['presence/roster'] } },
    })
    const [ruleId] = Object.keys(t.findResources('AWS::IoT::TopicRule'))
    t.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'iot.amazonaws.com', SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] } })
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { LIVETOPIC_RULE: 'roster', LIVETOPIC_IOT_ENDPOINT: Match.anyValue() } } })
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'iot:RetainPublish', Resource: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':topic/presence/roster'])] }) }),
        ]),
      },
    })
  })

  it('deploys each `lambda` rule as its own function with its environment, publish rights and the IoT endpoint, exposed by rule name', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } })
    const stack = new Stack(app, 'Test')
    const broker = new LiveTopicBroker(stack, 'Broker', {
      authorizer: { entry },
      rules: [
        { name: 'chat', sql: "SELECT * FROM 'client/+'", lambda: { entry, publishes: ['rooms/lobby/messages'] } },
        {
          name: 'presence',
          sql: "SELECT * FROM '$aws/events/presence/+/+'",
          lambda: { entry, handler: 'roster', retains: ['presence/roster'], environment: { TABLE: 'local' } },
        },
      ],
    })
    const t = Template.fromStack(stack)
    expect(Object.keys(broker.rules.functions).sort()).toEqual(['chat', 'presence'])
    t.resourceCountIs('AWS::IoT::TopicRule', 2)
    t.resourceCountIs('AWS::Lambda::Function', 4) // authorizer, two rules, DescribeEndpoint provider
    t.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.roster',
      Environment: { Variables: { TABLE: 'local', LIVETOPIC_RULE: 'presence', LIVETOPIC_IOT_ENDPOINT: Match.objectLike({ 'Fn::GetAtt': Match.anyValue() }) } },
    })
    type PolicyProps = { PolicyDocument: { Statement: { Action: string; Resource: unknown }[] } }
    const iot = Object.values(t.findResources('AWS::IAM::Policy'))
      .flatMap((p) => (p.Properties as PolicyProps).PolicyDocument.Statement)
      .filter((s) => /^iot:(Publish|RetainPublish)$/.test(String(s.Action)))
    expect(iot.map((s) => [s.Action, JSON.stringify(s.Resource).match(/:topic\/[^"]*/)?.[0]])).toEqual([
      ['iot:Publish', ':topic/rooms/lobby/messages'],
      ['iot:Publish', ':topic/presence/roster'],
      ['iot:RetainPublish', ':topic/presence/roster'],
    ])
    for (const [name, fn] of Object.entries(broker.rules.functions)) {
      const ruleId = stack.getLogicalId(broker.rules.rules.find((r) => r.node.scope!.node.id === name)!)
      const fnId = stack.getLogicalId(fn.node.defaultChild as CfnElement)
      t.hasResourceProperties('AWS::Lambda::Permission', { FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] }, SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] } })
    }
  })

  it('gives every topic rule a CloudWatch Logs error action, and every log group a retention and deletion with the stack', () => {
    const t = synth({
      rules: [republishRule, { name: 'echo', sql: "SELECT * FROM 'in/+'", lambda: { entry } }],
    })
    const [errorLogId] = Object.keys(t.findResources('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 14 } }))
    type Props<P> = { Properties: P; DeletionPolicy?: string }[]
    const rules = Object.values(t.findResources('AWS::IoT::TopicRule')) as Props<{ TopicRulePayload: { ErrorAction: unknown } }>
    expect(rules).toHaveLength(2)
    for (const rule of rules)
      expect(rule.Properties.TopicRulePayload.ErrorAction).toEqual({
        CloudwatchLogs: { LogGroupName: { Ref: errorLogId }, RoleArn: { 'Fn::GetAtt': [expect.stringMatching(/ErrorRole/), 'Arn'] } },
      })
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [errorLogId, 'Arn'] },
          },
        ],
      },
    })
    const logGroups = Object.values(t.findResources('AWS::Logs::LogGroup')) as Props<{ RetentionInDays?: number }>
    expect(logGroups).toHaveLength(4) // authorizer, echo rule, DescribeEndpoint provider, rule errors
    for (const group of logGroups) expect([group.Properties.RetentionInDays, group.DeletionPolicy]).toEqual([expect.any(Number), 'Delete'])
    // each Lambda (the CDK provider too) logs to one of these, never to an implicit group that outlives the stack
    for (const fn of Object.values(t.findResources('AWS::Lambda::Function')) as Props<{ LoggingConfig: { LogGroup: { Ref: string } } }>)
      expect(Object.keys(t.findResources('AWS::Logs::LogGroup'))).toContain(fn.Properties.LoggingConfig.LogGroup.Ref)
  })

  it('reserves concurrency for the authorizer (10 unless told), the cap on what anonymous attempts cost; false reserves none', () => {
    synth().hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler', ReservedConcurrentExecutions: 10 })
    synth({ authorizer: { entry, reservedConcurrency: 3 } }).hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 3 })
    const none = synth({ authorizer: { entry, reservedConcurrency: false } })
    const functions = Object.values(none.findResources('AWS::Lambda::Function')) as { Properties: { ReservedConcurrentExecutions?: number } }[]
    for (const fn of functions) expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined()
  })

  it('fails synth clearly for a function action without a handler file, and for SQL the stand-in cannot run', () => {
    expect(() => synth({ rules: [{ name: 'chat', sql: "SELECT * FROM 'a/+'", action: () => {} }] })).toThrow(
      /chat \(SELECT \* FROM 'a\/\+'\): its action is a JavaScript function.*make it a `lambda` rule.*actions\['chat'\]/,
    )
    expect(() => synth({ rules: [{ name: 'bad', sql: "SELECT upper(x) FROM 'a'", republish: 'b' }] })).toThrow(/bad .*function upper\(\) is not supported/)
  })

  it('makes a Cognito identity pool whose unauthenticated role may use IoT on the given patterns only', () => {
    const t = synth({ identityPool: { clientIds: ['web-*'], subscribe: ['news'], receive: ['news'] } })
    t.hasResourceProperties('AWS::Cognito::IdentityPool', { AllowUnauthenticatedIdentities: true, AllowClassicFlow: false })
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: Match.objectLike({ 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'unauthenticated' } }),
          }),
        ],
      },
    })
    type PolicyProps = { PolicyDocument: { Statement: { Action: string; Resource: unknown }[] } }
    const statements = Object.values(t.findResources('AWS::IAM::Policy'))
      .flatMap((p) => (p.Properties as PolicyProps).PolicyDocument.Statement)
      .filter((s) => ['iot:Connect', 'iot:Subscribe', 'iot:Receive', 'iot:Publish'].includes(s.Action))
    expect(statements.map((s) => [s.Action, JSON.stringify(s.Resource).match(/:(client|topic|topicfilter)\/[^"]*/)?.[0]])).toEqual([
      ['iot:Connect', ':client/web-*'],
      ['iot:Subscribe', ':topicfilter/news'],
      ['iot:Receive', ':topic/news'],
    ])
    expect(Object.keys(t.findOutputs('*')).some((k) => k.includes('IdentityPoolId'))).toBe(true)
  })
})
