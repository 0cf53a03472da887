/**
 * The demo's real path, end to end: deploys the provider and consumer stacks, then calls the
 * probe in the consumer VPC, which GETs /api/task/2 through PrivateLink.
 *
 * Snapshot only (runs in the test command, no AWS account):  npx projen integ
 * For real (deploys, asserts, destroys; needs an AWS account):
 *   npx integ-runner --language typescript --update-on-failed --force test/integ.demo.ts
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { buildDemo } from '../examples/demo/demo-stacks';

const app = new App();
const { provider, consumer } = buildDemo(app);

const integ = new IntegTest(app, 'PrivateLinkDemo', {
  testCases: [provider, consumer],
});

const probe = integ.assertions
  .invokeFunction({ functionName: consumer.probe.functionName, payload: JSON.stringify({ path: '/api/task/2' }) });
probe
  .expect(ExpectedResult.objectLike({
    Payload: Match.serializedJson({ id: 2, name: 'task2', description: 'This is task 2' }),
  }))
  // The tasks and the endpoint may need a few minutes after the stacks are complete.
  .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(30) });

// integ-tests-alpha's assertion provider grants the invalid IAM action lambda:Invoke beside
// lambda:InvokeFunction; cfn-lint W3037 is ignored for this generated stack only (see
// test/lint/cfnlintrc.yaml). Template metadata replaces the config file's list, so W3005 is repeated.
Stack.of(probe).templateOptions.metadata = { 'cfn-lint': { config: { ignore_checks: ['W3005', 'W3037'] } } };

app.synth();
