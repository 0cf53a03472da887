#!/usr/bin/env node
// The blog's demo topology, built with cdk-ecs-privatelink.
//
//   synth (no AWS account needed):  npm run demo            (from the repository root)
//   deploy:                         cd examples/demo && npx cdk deploy --all
//   test:                           the TestCommand output of PrivateLinkDemo-Consumer
//   destroy:                        cd examples/demo && npx cdk destroy --all
//
// Both stacks are environment-agnostic: they synthesize without credentials, and deploy
// to the account and region of your AWS CLI profile.
import { App } from 'aws-cdk-lib';
import { buildDemo } from './demo-stacks';

const app = new App();
buildDemo(app);
app.synth();
