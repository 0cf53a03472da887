#!/usr/bin/env node
// HTTPS end to end, a private DNS name and connection notifications.
//
//   synth (no AWS account; placeholder certificate and zone):  cd examples/https && npx cdk synth
//   deploy with your own:  cd examples/https && npx cdk deploy PrivateLinkHttps-Provider \
//       -c certificateArn=arn:aws:acm:...  -c privateDnsName=api.example.com \
//       -c hostedZoneId=Z...  -c zoneName=example.com
//   then, once the name is verified and the connection accepted, deploy PrivateLinkHttps-Consumer.
import { App } from 'aws-cdk-lib';
import { buildHttpsExample } from './https-stacks';

const app = new App();
buildHttpsExample(app);
app.synth();
