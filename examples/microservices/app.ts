#!/usr/bin/env node
// Three microservices behind one PrivateLink endpoint, with autoscaling.
//
//   synth (no AWS account needed):  cd examples/microservices && npx cdk synth
//   deploy:                         cd examples/microservices && npx cdk deploy
//
// Customers create one interface endpoint and reach every service through it: the ALB routes
// /api/tasks* to the task API, /orders* and /users* to their services, and answers anything else
// with a 404. The provider pays for one NLB, one ALB and one endpoint service, not one per API.
import { App } from 'aws-cdk-lib';
import { MicroservicesStack } from './microservices-stack';

const app = new App();
new MicroservicesStack(app, 'PrivateLinkMicroservices', {
  description: 'cdk-ecs-privatelink example: three services behind one PrivateLink endpoint',
});
app.synth();
