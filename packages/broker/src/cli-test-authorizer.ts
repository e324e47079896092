import { parseArgs } from 'node:util'
import { loadAuthorizer } from './cli-config.js'
import { testAuthorizer, type TestAuthorizerResult } from './test-authorizer.js'

const TEST_AUTHORIZER_USAGE = `Usage: livetopic-broker test-authorizer --authorizer ./authorizer.js --token T [options]
  (the stand-in's \`aws iot test-invoke-authorizer\`)
  --authorizer file.js    custom authorizer (default export: function(event) => IoT response)
  --token T               token passed to the authorizer
  --token-key-name name   query key of the token (default token)
  --token-signature S     base64 signature of the token (checked when --public-key is given)
  --public-key file.pem   token-signing public key (repeatable): signature checked as IoT does
  --client-id C           client id (iot:Connect is checked for it)
  --publish topic         check iot:Publish (repeatable)
  --subscribe filter      check iot:Subscribe (repeatable)
  --receive topic         check iot:Receive (repeatable)
Exit status 0 when the response is valid and every listed action is allowed, 1 otherwise.
`

/** Human-readable report: the response, then one line per action. Never prints the token. */
export function formatTestAuthorizerResult(result: TestAuthorizerResult): string {
  const lines: string[] = []
  if (result.response !== undefined) lines.push('Authorizer response:', JSON.stringify(result.response, null, 2))
  if (result.invalid) {
    lines.push(`INVALID: ${result.invalid}`)
  } else {
    lines.push(
      `Valid response: principal ${result.principalId}, disconnect after ${result.disconnectAfterInSeconds} s` +
        (result.refreshAfterInSeconds !== undefined ? `, refresh after ${result.refreshAfterInSeconds} s` : ''),
    )
    for (const d of result.decisions) lines.push(`${d.allowed ? 'ALLOWED' : 'DENIED '} ${d.action} ${d.name}  (${d.resource}): ${d.reason}`)
  }
  return `${lines.join('\n')}\n`
}

/** `livetopic-broker test-authorizer ...`: resolves with the exit status. */
export async function runTestAuthorizerCli(args: string[], out: (text: string) => void, err: (text: string) => void): Promise<number> {
  const { readFile } = await import('node:fs/promises')
  let values
  try {
    ;({ values } = parseArgs({
      args,
      options: {
        authorizer: { type: 'string' },
        token: { type: 'string' },
        'token-key-name': { type: 'string' },
        'token-signature': { type: 'string' },
        'public-key': { type: 'string', multiple: true },
        'client-id': { type: 'string' },
        publish: { type: 'string', multiple: true },
        subscribe: { type: 'string', multiple: true },
        receive: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (error) {
    err(`livetopic-broker test-authorizer: ${(error as Error).message}\n${TEST_AUTHORIZER_USAGE}`)
    return 2
  }
  if (values.help || !values.authorizer) {
    ;(values.help ? out : err)(TEST_AUTHORIZER_USAGE)
    return values.help ? 0 : 2
  }
  try {
    const publicKeys = values['public-key'] ? await Promise.all(values['public-key'].map((f) => readFile(f, 'utf8'))) : undefined
    const result = await testAuthorizer({
      authorizer: await loadAuthorizer(values.authorizer),
      ...(values.token !== undefined ? { token: values.token } : {}),
      ...(values['token-key-name'] ? { tokenKeyName: values['token-key-name'] } : {}),
      ...(values['token-signature'] !== undefined ? { tokenSignature: values['token-signature'] } : {}),
      ...(publicKeys ? { publicKeys } : {}),
      ...(values['client-id'] !== undefined ? { clientId: values['client-id'] } : {}),
      publish: values.publish ?? [],
      subscribe: values.subscribe ?? [],
      receive: values.receive ?? [],
    })
    out(formatTestAuthorizerResult(result))
    return result.ok ? 0 : 1
  } catch (error) {
    err(`livetopic-broker test-authorizer: ${(error as Error).message}\n`)
    return 1
  }
}
