#!/usr/bin/env node
// HTTPS end to end with mutual TLS (consumers present client certificates), a private DNS name
// and connection notifications; the consumer's probe calls the API with its client certificate.
//
//   synth (no AWS account; placeholder certificate, zone, CA bundle and secret):  cd examples/https && npx cdk synth
//   deploy with your own:  cd examples/https && npx cdk deploy PrivateLinkHttps-Provider \
//       -c certificateArn=arn:aws:acm:...  -c privateDnsName=api.example.com \
//       -c hostedZoneId=Z...  -c zoneName=example.com \
//       -c caBundleBucket=my-bucket  -c caBundleKey=privatelink/ca-bundle.pem
//   then, once the name is verified and the connection accepted, put the probe's client certificate in
//   Secrets Manager and deploy PrivateLinkHttps-Consumer:
//       aws secretsmanager create-secret --name privatelink-https/client-certificate \
//         --secret-string "$(jq -n --rawfile c client.crt --rawfile k client.key '{certificate: $c, privateKey: $k}')"
//       npx cdk deploy PrivateLinkHttps-Consumer  (-c clientCertificateSecretName=... for another name)
import { App } from 'aws-cdk-lib';
import { buildHttpsExample } from './https-stacks';

const app = new App();
buildHttpsExample(app);
app.synth();
