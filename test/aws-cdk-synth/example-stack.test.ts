import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { App, Validations } from 'aws-cdk-lib'
import { Template } from 'aws-cdk-lib/assertions'
import { AwsSolutionsChecks } from 'cdk-nag'
import { testAuthorizer, type Authorizer } from '@livetopic/broker'
import { exampleAppProps } from '../../examples/aws/lib/app-props.js'
import { ExampleStack } from '../../examples/aws/lib/example-stack.js'
import { unsignedToken, useTestIssuer } from '../helpers/test-issuer.js'

// The real example app, synthesized with esbuild bundling, cdk.json's feature flags and cdk-nag, as
// `npm run synth:aws` does (a stand-in page replaces the built React example: the stack only uploads the folder).
const dir = mkdtempSync(join(tmpdir(), 'livetopic-synth-'))
let template: Template
let outdir: string

beforeAll(() => {
  const siteDir = join(dir, 'site')
  outdir = join(dir, 'cdk.out')
  mkdirSync(siteDir)
  writeFileSync(join(siteDir, 'index.html'), '<!doctype html><title>site</title>')
  const app = new App(exampleAppProps(outdir))
  const stack = new ExampleStack(app, 'LiveTopicExample', { siteDir })
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app))
  // throws "Validation failed" when cdk-nag reports an unacknowledged error
  const assembly = app.synth()
  template = Template.fromJSON(assembly.getStackByName(stack.stackName).template as Record<string, unknown>)
}, 180_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

type Statement = { Effect: string; Action: string | string[]; Resource: unknown }
/** A synthesized resource, with the properties these tests read. */
interface Resource<P> {
  Type: string
  Properties: P
  DeletionPolicy?: string
  UpdateReplacePolicy?: string
}
interface PolicyProps {
  PolicyDocument: { Statement: Statement[] }
}
interface PermissionProps {
  Principal: string
  Action: string
  SourceArn: { 'Fn::GetAtt': [string, string] }
}
interface DeploymentProps {
  SourceObjectKeys: unknown[]
  SourceMarkers: Record<string, unknown>[]
  RetainOnDelete: boolean
}
interface TopicRuleProps {
  TopicRulePayload: { Sql: string; AwsIotSqlVersion: string; Actions: Record<string, unknown>[]; ErrorAction?: Record<string, unknown> }
}
interface FunctionProps {
  Handler?: unknown
  Environment?: { Variables: Record<string, unknown> }
  Code: { S3Key: unknown }
  ReservedConcurrentExecutions?: number
  LoggingConfig?: { LogGroup: { Ref: string } }
}
const resources = <P>(type: string): Record<string, Resource<P>> => template.findResources(type) as Record<string, Resource<P>>
/** The Properties of every resource of one type, typed as the caller reads them. */
const properties = <P>(type: string): P[] => Object.values(resources<P>(type)).map((r) => r.Properties)
const statements = (): Statement[] => properties<PolicyProps>('AWS::IAM::Policy').flatMap((p) => p.PolicyDocument.Statement)
const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v])
const idOf = (type: string): string => Object.keys(template.findResources(type))[0]!
const authorizerFunction = (): FunctionProps =>
  properties<FunctionProps>('AWS::Lambda::Function').find((f) => f.Environment?.Variables.LIVETOPIC_JWT_ISSUER !== undefined)!

describe('examples/aws stack (synth with bundling)', { timeout: 60_000 }, () => {
  it('creates exactly these resources', () => {
    const counts: Record<string, number> = {}
    for (const r of Object.values(template.toJSON().Resources as Record<string, { Type: string }>)) counts[r.Type] = (counts[r.Type] ?? 0) + 1
    expect(counts).toEqual({
      'AWS::IoT::Authorizer': 1,
      'AWS::IoT::TopicRule': 3,
      'AWS::Lambda::Function': 6, // authorizer, 3 rule actions, DescribeEndpoint provider, BucketDeployment
      'AWS::Lambda::Permission': 4, // IoT → authorizer, IoT → each rule action
      'AWS::Lambda::LayerVersion': 1, // BucketDeployment's AWS CLI
      'AWS::Logs::LogGroup': 7, // one per Lambda, plus the rules' error log
      'AWS::IAM::Role': 7,
      'AWS::IAM::Policy': 7,
      'AWS::Cognito::UserPool': 1,
      'AWS::Cognito::UserPoolClient': 1,
      'AWS::Cognito::UserPoolDomain': 1,
      'AWS::DynamoDB::Table': 1,
      'AWS::S3::Bucket': 1,
      'AWS::S3::BucketPolicy': 1,
      'AWS::CloudFront::Distribution': 1,
      'AWS::CloudFront::OriginAccessControl': 1,
      'Custom::AWS': 1,
      'Custom::CDKBucketDeployment': 1,
    })
  })

  it('leaves nothing billable after `cdk destroy`: every stateful resource is deleted, the bucket emptied, no Lambda logs elsewhere', () => {
    const all = Object.entries(template.toJSON().Resources as Record<string, Resource<unknown>>)
    // nothing is retained or snapshotted
    expect(all.filter(([, r]) => [r.DeletionPolicy, r.UpdateReplacePolicy].some((p) => p !== undefined && p !== 'Delete'))).toEqual([])
    for (const type of ['AWS::Logs::LogGroup', 'AWS::DynamoDB::Table', 'AWS::Cognito::UserPool', 'AWS::S3::Bucket'])
      for (const [id, r] of Object.entries(resources(type))) expect([id, r.DeletionPolicy, r.UpdateReplacePolicy]).toEqual([id, 'Delete', 'Delete'])
    template.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false })
    template.hasResourceProperties('AWS::Cognito::UserPool', { DeletionProtection: 'INACTIVE' })
    // the deployment deletes the site's files with the stack, so the bucket can go (no auto-delete provider needed)
    expect(properties<DeploymentProps>('Custom::CDKBucketDeployment')[0]!.RetainOnDelete).toBe(false)
    // every log group expires its logs, and every Lambda (CDK's providers too) writes to one of them,
    // not to an implicit /aws/lambda/… group that would outlive the stack
    const logGroups = resources<{ RetentionInDays?: number }>('AWS::Logs::LogGroup')
    for (const [id, group] of Object.entries(logGroups)) expect([id, group.Properties.RetentionInDays]).toEqual([id, expect.any(Number)])
    for (const fn of properties<FunctionProps>('AWS::Lambda::Function')) expect(Object.keys(logGroups)).toContain(fn.LoggingConfig?.LogGroup.Ref)
  })

  it('gives every topic rule an error action: failures are logged to a log group that expires', () => {
    const rules = properties<TopicRuleProps>('AWS::IoT::TopicRule').map((r) => r.TopicRulePayload)
    const errorLog = rules[0]!.ErrorAction as { CloudwatchLogs: { LogGroupName: { Ref: string } } }
    for (const rule of rules) expect(rule.ErrorAction).toEqual(errorLog)
    expect(resources<{ RetentionInDays: number }>('AWS::Logs::LogGroup')[errorLog.CloudwatchLogs.LogGroupName.Ref]!.Properties.RetentionInDays).toBe(14)
  })

  it('deploys the authorizer to verify the user pool web client’s ID tokens, with reserved concurrency as the cost cap', () => {
    const fn = authorizerFunction()
    expect(fn.Environment!.Variables).toEqual({
      LIVETOPIC_JWT_ISSUER: { 'Fn::GetAtt': [idOf('AWS::Cognito::UserPool'), 'ProviderURL'] },
      LIVETOPIC_JWT_AUDIENCE: { Ref: idOf('AWS::Cognito::UserPoolClient') },
      LIVETOPIC_JWT_TOKEN_USE: 'id',
    })
    expect(fn.ReservedConcurrentExecutions).toBe(10)
    template.hasResourceProperties('AWS::IoT::Authorizer', { SigningDisabled: true, Status: 'ACTIVE' })
  })

  it('lets visitors sign up (email as user name, verified) and sign in through the Hosted UI with a public PKCE client', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
    })
    const siteUrl = (path: string): unknown => ({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [idOf('AWS::CloudFront::Distribution'), 'DomainName'] }, path]],
    })
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false, // a browser cannot keep a secret: the code is bound to the page by PKCE instead
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      SupportedIdentityProviders: ['COGNITO'],
      CallbackURLs: [siteUrl('/'), siteUrl('/index.html')],
      LogoutURLs: [siteUrl('/'), siteUrl('/index.html')],
    })
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: { 'Fn::Join': ['-', ['livetopic', { Ref: 'AWS::AccountId' }]] } })
  })

  it('keeps the roster in an on-demand DynamoDB table with a TTL, read and written by the presence rule only', () => {
    const tableId = idOf('AWS::DynamoDB::Table')
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    })
    const withTable = properties<FunctionProps>('AWS::Lambda::Function').filter((f) => f.Environment?.Variables.LIVETOPIC_PRESENCE_TABLE !== undefined)
    expect(withTable.map((f) => [f.Environment!.Variables.LIVETOPIC_RULE, f.Environment!.Variables.LIVETOPIC_PRESENCE_TABLE])).toEqual([
      ['presence', { Ref: tableId }],
      ['presence_state', { Ref: tableId }],
    ])
    const onTable = statements().filter((s) => JSON.stringify(s.Resource).includes(tableId))
    expect(onTable).toHaveLength(2)
    expect(list(onTable[0]!.Action)).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query']))
  })

  it('lets iot.amazonaws.com invoke the authorizer for that authorizer only, and the rule actions for their rules only', () => {
    const authorizerId = idOf('AWS::IoT::Authorizer')
    const permissions = properties<PermissionProps>('AWS::Lambda::Permission')
    expect(permissions.every((p) => p.Principal === 'iot.amazonaws.com' && p.Action === 'lambda:InvokeFunction')).toBe(true)
    const sources = permissions.map((p) => p.SourceArn['Fn::GetAtt'])
    const ruleIds = Object.keys(template.findResources('AWS::IoT::TopicRule'))
    expect(sources.map(([id, attr]: [string, string]) => [id, attr]).sort()).toEqual([[authorizerId, 'Arn'], ...ruleIds.map((id) => [id, 'Arn'])].sort())
  })

  it('uploads the site with a config.json that the deployment fills with the endpoint, authorizer and Hosted UI', () => {
    const deployment = properties<DeploymentProps>('Custom::CDKBucketDeployment')[0]!
    const key = String(deployment.SourceObjectKeys[1]).replace(/\.zip$/, '')
    const config = JSON.parse(readFileSync(join(outdir, `asset.${key}`, 'config.json'), 'utf8')) as Record<string, unknown>
    const markers = deployment.SourceMarkers[1]!
    const fill = (value: unknown): unknown =>
      typeof value === 'string'
        ? value.replace(/<<marker:0xbaba:\d+>>/g, (m) => JSON.stringify(markers[m]))
        : Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, fill(v)]))
    const ref = (id: string): string => JSON.stringify({ Ref: id })
    const region = JSON.stringify({ Ref: 'AWS::Region' })
    expect(fill(config)).toEqual({
      endpoint: JSON.stringify({ 'Fn::GetAtt': [idOf('Custom::AWS'), 'endpointAddress'] }),
      authorizerName: ref(idOf('AWS::IoT::Authorizer')),
      region,
      auth: {
        kind: 'cognito',
        region,
        userPoolId: ref(idOf('AWS::Cognito::UserPool')),
        clientId: ref(idOf('AWS::Cognito::UserPoolClient')),
        domain: `https://${ref(idOf('AWS::Cognito::UserPoolDomain'))}.auth.${region}.amazoncognito.com`,
      },
    })
  })

  it('deploys the shared rules with their SQL, version 2016-03-23, as Lambda actions', () => {
    const rules = properties<TopicRuleProps>('AWS::IoT::TopicRule').map((r) => r.TopicRulePayload)
    expect(rules.map((r) => [r.Sql, r.AwsIotSqlVersion, Object.keys(r.Actions[0]!)])).toEqual([
      ["SELECT name, text, clientid() AS clientId FROM 'client/+' WHERE topic(2) = clientid()", '2016-03-23', ['Lambda']],
      ["SELECT * FROM '$aws/events/presence/+/+'", '2016-03-23', ['Lambda']],
      ["SELECT state, at, clientid() AS clientId FROM 'presence/state/+' WHERE topic(3) = clientid()", '2016-03-23', ['Lambda']],
    ])
  })

  it('has no IAM statement on Resource "*" except for actions that support no narrower resource', () => {
    const starred = statements().filter((s) => list(s.Resource).includes('*'))
    expect(starred.flatMap((s) => list(s.Action))).toEqual(['iot:DescribeEndpoint'])
    // the rule actions may publish to their own topics only
    const iot = statements().filter((s) => list(s.Action).some((a) => /^iot:(Publish|RetainPublish)$/.test(a)))
    expect(iot.map((s) => [s.Action, JSON.stringify(s.Resource).match(/:topic\/[^"]*/)?.[0]])).toEqual([
      ['iot:Publish', ':topic/rooms/lobby/messages'],
      [['iot:Publish', 'iot:RetainPublish'], ':topic/presence/roster'],
      [['iot:Publish', 'iot:RetainPublish'], ':topic/presence/roster'],
    ])
  })

  it('passes cdk-nag AwsSolutions with 0 violations; every acknowledged finding carries a written reason', () => {
    type Report = {
      pluginReports: { pluginName: string; conclusion: string; violations: unknown[]; suppressedViolations: { ruleName: string; reason: string }[] }[]
    }
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as Report
    const nag = report.pluginReports.find((p) => p.pluginName === 'AwsSolutions')!
    expect(nag).toMatchObject({ conclusion: 'success', violations: [] })
    expect(nag.suppressedViolations.length).toBeGreaterThan(0)
    for (const v of nag.suppressedViolations) expect(v.reason.length, v.ruleName).toBeGreaterThan(40)
  })
})

// The asset the stack deploys as the authorizer, loaded as Lambda loads it and configured by the
// environment the stack gives it, against an OIDC issuer on 127.0.0.1 (a local JWKS, jose-signed tokens).
describe('the authorizer bundle in cdk.out', { timeout: 30_000 }, () => {
  const ENV = ['LIVETOPIC_JWT_ISSUER', 'LIVETOPIC_JWT_AUDIENCE', 'LIVETOPIC_JWT_TOKEN_USE', 'LIVETOPIC_DEVICE_TOKEN'] as const
  afterEach(() => {
    for (const name of ENV) delete process.env[name]
  })

  /** A cold instance of the deployed bundle, with the stack's variables pointed at `issuer`. */
  function coldStart(issuer: string, deviceToken?: string): Authorizer {
    const file = join(outdir, `asset.${String(authorizerFunction().Code.S3Key).replace(/\.zip$/, '')}`, 'index.js')
    Object.assign(process.env, {
      LIVETOPIC_JWT_ISSUER: issuer,
      LIVETOPIC_JWT_AUDIENCE: 'web-client',
      LIVETOPIC_JWT_TOKEN_USE: 'id',
      ...(deviceToken ? { LIVETOPIC_DEVICE_TOKEN: deviceToken } : {}),
    })
    const require = createRequire(file)
    delete require.cache[file]
    return (require(file) as { handler: Authorizer }).handler
  }

  it('refuses a forged signature, an expired token, another audience, alg none, an unknown key and no token', async () => {
    const issuer = await useTestIssuer('web-client')
    const authorizer = coldStart(issuer.issuer)
    const now = Math.floor(Date.now() / 1000)
    const claims = { iss: issuer.issuer, aud: 'web-client', sub: 'alice', token_use: 'id', iat: now, exp: now + 600 }
    const tokens = {
      forged: await issuer.sign({ sub: 'alice' }, { key: await issuer.foreignKey() }),
      expired: await issuer.sign({ sub: 'alice', iat: now - 7200, exp: now - 3600 }),
      audience: await issuer.sign({ sub: 'alice', aud: 'another-app' }),
      algNone: unsignedToken(claims, issuer.kid),
      unknownKid: await issuer.sign({ sub: 'alice' }, { kid: 'not-in-the-jwks' }),
      none: undefined,
    }
    for (const [name, token] of Object.entries(tokens)) {
      const result = await testAuthorizer({ authorizer, ...(token ? { token } : {}), clientId: 'alice_1' })
      expect([name, result.ok, result.invalid]).toEqual([name, false, 'authorizer answered isAuthenticated: false'])
    }
  })

  // identity's branch (jwtAuthorizer in @livetopic/core/aws/authorizer) makes examples/shared/authorizer.ts verify JWTs
  it('admits a valid ID token as that user only, and the device by its secret', async () => {
    const issuer = await useTestIssuer('web-client')
    const authorizer = coldStart(issuer.issuer, 'device-secret')
    const token = await issuer.sign({ sub: 'alice' })
    const own = await testAuthorizer({ authorizer, token, clientId: 'alice_1', publish: ['client/alice_1'], subscribe: ['users/alice/inbox'] })
    expect(own).toMatchObject({ ok: true, principalId: 'alice' })
    expect(own.decisions.map((d) => d.allowed)).toEqual([true, true, true])
    const asBob = await testAuthorizer({ authorizer, token, clientId: 'bob_1', publish: ['client/bob_1'], subscribe: ['users/bob/inbox'] })
    // connecting as Bob is refused (and so is reading Bob's private topics)
    expect(asBob.decisions.filter((d) => !d.allowed).map((d) => d.action)).toEqual(['iot:Connect', 'iot:Subscribe'])
    const device = await testAuthorizer({
      authorizer,
      token: 'device-secret',
      clientId: 'telemetry-1',
      publish: ['telemetry/cpu'],
      subscribe: ['rooms/lobby/messages'],
    })
    expect(device.decisions.map((d) => d.allowed)).toEqual([true, true, false])
  })
})
