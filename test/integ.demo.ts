/**
 * The demo's real path, end to end: deploys the provider and consumer stacks (the consumer's
 * endpoint is accepted by the provider's connection acceptor), then asserts through the probe
 * (PrivateLinkProbe) in the consumer VPC: on demand it GETs /api/task/2 through PrivateLink, and
 * a run like the scheduled one reports every path as successful.
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

const functionName = consumer.probe.lambdaFunction.functionName;
const probe = integ.assertions
  .invokeFunction({ functionName, payload: JSON.stringify({ path: '/api/task/2' }) });
probe
  .expect(ExpectedResult.objectLike({
    Payload: Match.serializedJson({ id: 2, name: 'task2', description: 'This is task 2' }),
  }))
  // The tasks and the endpoint may need a few minutes after the stacks are complete.
  .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(30) });

// A run without a path is what the schedule does: every path answers 200, and the run says so
// (it also publishes the Success and Latency metrics the probe's alarm watches).
const run = integ.assertions.invokeFunction({ functionName, payload: JSON.stringify({}) });
run
  .expect(ExpectedResult.objectLike({
    Payload: Match.serializedJson({
      results: [
        Match.objectLike({ path: '/api/tasks', ok: true, status: 200 }),
        Match.objectLike({ path: '/api/task/2', ok: true, status: 200 }),
      ],
    }),
  }))
  .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(30) });
probe.next(run);

// integ-tests-alpha's assertion provider grants the invalid IAM action lambda:Invoke beside
// lambda:InvokeFunction; cfn-lint W3037 is ignored for this generated stack only (see
// test/lint/cfnlintrc.yaml). Template metadata replaces the config file's list, so W3005 is repeated.
Stack.of(probe).templateOptions.metadata = { 'cfn-lint': { config: { ignore_checks: ['W3005', 'W3037'] } } };

app.synth();
