import { App, CfnOutput, Stack } from 'aws-cdk-lib'
import { LiveTopicBroker } from '@livetopic/aws-cdk'
import { AUTHORIZER_NAME } from '../livetopic/topics.js'
import { rules } from '../livetopic/rules.js'

// The same authorizer and rules as the local stand-in, on AWS IoT Core. Tokens come from your
// OIDC issuer (a Cognito user pool: https://cognito-idp.<region>.amazonaws.com/<poolId>, Auth0, ...):
//   npm run deploy:aws -- -c issuer=https://... -c audience=<client id>
const app = new App()
const stack = new Stack(app, app.node.tryGetContext('stack') ?? 'LivetopicApp')
const issuer = String(app.node.tryGetContext('issuer') ?? 'https://issuer.example.com')
const audience = String(app.node.tryGetContext('audience') ?? 'app')
const broker = new LiveTopicBroker(stack, 'Broker', {
  authorizer: {
    entry: new URL('../livetopic/authorizer.ts', import.meta.url).pathname,
    name: AUTHORIZER_NAME,
    environment: { LIVETOPIC_ISSUER: issuer, LIVETOPIC_AUDIENCE: audience },
  },
  rules,
})
// build the page with VITE_IOT_ENDPOINT=<this> to connect to AWS IoT Core instead of the stand-in
new CfnOutput(stack, 'IotEndpoint', { value: broker.endpoint })
app.synth()
