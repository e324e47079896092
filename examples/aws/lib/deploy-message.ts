/** The stack's outputs as `cdk deploy --outputs-file` writes them: stack name → output name → value. */
export type DeployOutputs = Record<string, Record<string, string>>

/**
 * What to do after `npm run deploy:aws`: where the app is and how its first user signs up,
 * from the deployed stack's outputs (`SiteUrl`, `SignUpUrl`, `UserPoolId`).
 */
export function deployMessage(outputs: DeployOutputs, stackName = 'LiveTopicExample'): string {
  const stack = outputs[stackName]
  const missing = ['SiteUrl', 'SignUpUrl', 'UserPoolId'].filter((name) => !stack?.[name])
  if (!stack || missing.length > 0) throw new Error(`the outputs of ${stackName} lack ${missing.join(', ')}: was it deployed by this version of the example?`)
  return [
    '',
    `livetopic example deployed: ${stack.SiteUrl}`,
    '',
    'First user:',
    `  1. Open ${stack.SiteUrl} and choose to sign in; on the Cognito page choose "Sign up"`,
    `     (or go straight to ${stack.SignUpUrl}).`,
    '  2. Enter your email and a password (at least 12 characters with upper and lower case, a digit and a symbol).',
    '  3. Enter the code Cognito emails you: you are back on the app, signed in and connected as yourself.',
    '  Open a second tab or another browser to see presence and chat between users.',
    '',
    `Users: Cognito user pool ${stack.UserPoolId} (the AWS console lists and deletes them).`,
    "Cognito's own email sender allows 50 emails a day: configure SES on the pool before inviting many people.",
    'Remove everything (table, user pool, logs, bucket, CloudFront): npm run destroy:aws',
    '',
  ].join('\n')
}
