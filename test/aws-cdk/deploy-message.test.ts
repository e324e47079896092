import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { deployMessage } from '../../examples/aws/lib/deploy-message.js'

const outputs = {
  LiveTopicExample: {
    SiteUrl: 'https://d111111abcdef8.cloudfront.net/',
    SignUpUrl:
      'https://livetopic-123456789012.auth.eu-west-1.amazoncognito.com/signup?client_id=abc&response_type=code&redirect_uri=https://d111111abcdef8.cloudfront.net/',
    UserPoolId: 'eu-west-1_AbCdEf123',
    BrokerEndpoint0A1B2C3D: 'abc123-ats.iot.eu-west-1.amazonaws.com',
  },
}

describe('npm run deploy:aws, after cdk deploy', () => {
  it('prints the site URL and how the first user signs up, from the outputs file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'livetopic-deploy-'))
    try {
      writeFileSync(join(dir, 'outputs.json'), JSON.stringify(outputs))
      const script = fileURLToPath(new URL('../../examples/aws/bin/after-deploy.ts', import.meta.url))
      const printed = execFileSync(process.execPath, ['--import', 'tsx', script, join(dir, 'outputs.json')], { encoding: 'utf8' })
      expect(printed).toBe(deployMessage(outputs))
      expect(printed).toContain('livetopic example deployed: https://d111111abcdef8.cloudfront.net/')
      expect(printed).toMatch(/Open https:\/\/d111111abcdef8\.cloudfront\.net\/ and choose to sign in; on the Cognito page choose "Sign up"/)
      expect(printed).toContain(outputs.LiveTopicExample.SignUpUrl)
      expect(printed).toMatch(/code Cognito emails you/)
      expect(printed).toContain('npm run destroy:aws')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('says what is missing when the outputs are not those of this stack', () => {
    expect(() => deployMessage({ LiveTopicExample: { SiteUrl: 'https://x/' } })).toThrow(/lack SignUpUrl, UserPoolId/)
    expect(() => deployMessage({})).toThrow(/lack SiteUrl, SignUpUrl, UserPoolId/)
  })
})
