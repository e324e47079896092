import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { App, Validations } from 'aws-cdk-lib'
import { Template } from 'aws-cdk-lib/assertions'
import { AwsSolutionsChecks } from 'cdk-nag'
import { testAuthorizer, type Authorizer } from '@livetopic/broker'
import { ExampleStack } from '../../examples/aws/lib/example-stack.js'
import { useTestIssuer } from '../helpers/test-issuer.js'

// The real example app, synthesized with esbuild bundling and cdk-nag, as `npm run synth:aws` does
// (a stand-in page replaces the built React example: the stack only uploads the folder).
const dir = mkdtempSync(join(tmpdir(), 'livetopic-synth-'))
let template: Template
let outdir: string

beforeAll(() => {
  const siteDir = join(dir, 'site')
  outdir = join(dir, 'cdk.out')
  mkdirSync(siteDir)
  writeFileSync(join(siteDir, 'index.html'), '<!doctype html><title>site</title>')
  const app = new App({ outdir })
  const stack = new ExampleStack(app, 'LiveTopicExample', { siteDir })
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app))
  // throws "Validation failed" when cdk-nag reports an unacknowledged error
  const assembly = app.synth()
  template = Template.fromJSON(assembly.getStackByName(stack.stackName).template as Record<string, unknown>)
}, 120_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

type Statement = { Effect: string; Action: string | string[]; Resource: unknown }
/** The synthesized CloudFormation shapes these tests read (only the properties they look at). */
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
}
interface TopicRuleProps {
  TopicRulePayload: { Sql: string; AwsIotSqlVersion: string; Actions: Record<string, unknown>[] }
}
interface FunctionProps {
  Handler?: unknown
  Environment?: unknown
  Code: { S3Key: unknown }
}
/** The Properties of every resource of one type, typed as the caller reads them. */
const properties = <P>(type: string): P[] => Object.values(template.findResources(type)).map((r) => r.Properties as P)
const statements = (): Statement[] => properties<PolicyProps>('AWS::IAM::Policy').flatMap((p) => p.PolicyDocument.Statement)
const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v])

describe('examples/aws stack (synth with bundling)', { timeout: 60_000 }, () => {
  it('creates exactly these resources', () => {
    const counts: Record<string, number> = {}
    for (const r of Object.values(template.toJSON().Resources as Record<string, { Type: string }>)) counts[r.Type] = (counts[r.Type] ?? 0) + 1
    expect(counts).toEqual({
      'AWS::IoT::Authorizer': 1,
      'AWS::IoT::TopicRule': 2,
      'AWS::Lambda::Function': 6, // authorizer, 2 rule actions, DescribeEndpoint provider, BucketDeployment, auto-delete provider
      'AWS::Lambda::Permission': 3, // IoT → authorizer, IoT → each rule action
      'AWS::Lambda::LayerVersion': 1,
      'AWS::Logs::LogGroup': 3,
      'AWS::IAM::Role': 7,
      'AWS::IAM::Policy': 6,
      'AWS::Cognito::IdentityPool': 1,
      'AWS::Cognito::IdentityPoolRoleAttachment': 1,
      'AWS::S3::Bucket': 1,
      'AWS::S3::BucketPolicy': 1,
      'AWS::CloudFront::Distribution': 1,
      'AWS::CloudFront::OriginAccessControl': 1,
      'Custom::AWS': 1,
      'Custom::CDKBucketDeployment': 1,
      'Custom::S3AutoDeleteObjects': 1,
    })
  })

  it('lets iot.amazonaws.com invoke the authorizer for that authorizer only, and the rule actions for their rules only', () => {
    const [authorizerId] = Object.keys(template.findResources('AWS::IoT::Authorizer'))
    const permissions = properties<PermissionProps>('AWS::Lambda::Permission')
    expect(permissions.every((p) => p.Principal === 'iot.amazonaws.com' && p.Action === 'lambda:InvokeFunction')).toBe(true)
    const sources = permissions.map((p) => p.SourceArn['Fn::GetAtt'])
    const ruleIds = Object.keys(template.findResources('AWS::IoT::TopicRule'))
    expect(sources.map(([id, attr]: [string, string]) => [id, attr]).sort()).toEqual([[authorizerId, 'Arn'], ...ruleIds.map((id) => [id, 'Arn'])].sort())
    template.hasResourceProperties('AWS::IoT::Authorizer', { SigningDisabled: true, Status: 'ACTIVE' })
  })

  it('uploads the site with a config.json that the deployment fills with the endpoint, authorizer name and identity pool id', () => {
    const deployment = properties<DeploymentProps>('Custom::CDKBucketDeployment')[0]!
    const key = String(deployment.SourceObjectKeys[1]).replace(/\.zip$/, '')
    const config = JSON.parse(readFileSync(join(outdir, `asset.${key}`, 'config.json'), 'utf8')) as Record<string, string>
    const markers = deployment.SourceMarkers[1]!
    const [endpointId] = Object.keys(template.findResources('Custom::AWS'))
    const [authorizerId] = Object.keys(template.findResources('AWS::IoT::Authorizer'))
    const [poolId] = Object.keys(template.findResources('AWS::Cognito::IdentityPool'))
    expect(Object.fromEntries(Object.entries(config).map(([k, marker]) => [k, markers[marker]]))).toEqual({
      endpoint: { 'Fn::GetAtt': [endpointId, 'endpointAddress'] },
      authorizerName: { Ref: authorizerId },
      region: { Ref: 'AWS::Region' },
      identityPoolId: { Ref: poolId },
    })
  })

  it('deploys the shared rules with their SQL, version 2016-03-23, as Lambda actions', () => {
    const rules = properties<TopicRuleProps>('AWS::IoT::TopicRule').map((r) => r.TopicRulePayload)
    expect(rules.map((r) => [r.Sql, r.AwsIotSqlVersion, Object.keys(r.Actions[0]!)])).toEqual([
      ["SELECT name, text, topic(2) AS clientId FROM 'client/+'", '2016-03-23', ['Lambda']],
      ["SELECT * FROM '$aws/events/presence/+/+'", '2016-03-23', ['Lambda']],
    ])
  })

  it('has no IAM statement on Resource "*" except for actions that support no narrower resource', () => {
    const starred = statements().filter((s) => list(s.Resource).includes('*'))
    expect(starred.flatMap((s) => list(s.Action))).toEqual(['iot:DescribeEndpoint'])
    // the rule actions may publish to their own topics only
    const iot = statements().filter((s) => list(s.Action).some((a) => /^iot:(Publish|RetainPublish)$/.test(a)))
    expect(iot.map((s) => [s.Action, JSON.stringify(s.Resource).match(/:topic\/[^"]*/)?.[0]])).toEqual([
      ['iot:Publish', ':topic/rooms/lobby/messages'],
      ['iot:Publish', ':topic/presence/roster'],
      ['iot:RetainPublish', ':topic/presence/roster'],
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

  it("bundles the shared authorizer so that what deploys answers IoT's event as tested locally", async () => {
    // the authorizer's asset is the one configured by LIVETOPIC_JWT_ISSUER; it verifies a test issuer's tokens here
    const assets = properties<FunctionProps>('AWS::Lambda::Function')
      .filter((f) => String(f.Handler) === 'index.handler')
      .map((f) => join(outdir, `asset.${String(f.Code.S3Key).replace(/\.zip$/, '')}`, 'index.js'))
    const file = assets.find((a) => readFileSync(a, 'utf8').includes('LIVETOPIC_JWT_ISSUER'))!
    const issuer = await useTestIssuer('app-client')
    const env = {
      LIVETOPIC_JWT_ISSUER: issuer.issuer,
      LIVETOPIC_JWT_AUDIENCE: 'app-client',
      LIVETOPIC_JWT_TOKEN_USE: 'id',
      LIVETOPIC_DEVICE_TOKEN: 'device-secret',
    }
    Object.assign(process.env, env)
    const bundled = createRequire(import.meta.url)(file) as { handler: Authorizer }
    const browser = await testAuthorizer({
      authorizer: bundled.handler,
      token: await issuer.sign({ sub: 'alice' }),
      clientId: 'alice_1',
      publish: ['client/alice_1'],
      subscribe: ['rooms/lobby/messages'],
    })
    expect(browser).toMatchObject({ ok: true, principalId: 'alice' })
    const device = await testAuthorizer({
      authorizer: bundled.handler,
      token: 'device-secret',
      clientId: 'telemetry-1',
      publish: ['telemetry/cpu'],
      subscribe: ['rooms/lobby/messages'],
    })
    expect(device.decisions.map((d) => d.allowed)).toEqual([true, true, false])
    for (const name of Object.keys(env)) delete process.env[name]
    expect(await testAuthorizer({ authorizer: bundled.handler, token: 'wrong' })).toMatchObject({
      ok: false,
      invalid: 'authorizer answered isAuthenticated: false',
    })
  })
})
