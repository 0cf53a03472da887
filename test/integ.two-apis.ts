/**
 * A move to a new VPC without losing customers, halfway (README "Moving to a new VPC, or any
 * replacing change, without losing customers"): the API as deployed in its old VPC and the same
 * API under a new construct ID in a new VPC, in one stack, both offered. Asserts through a probe
 * per endpoint, in the consumer's VPC, that both service names serve the API at the same time.
 *
 * Snapshot only (runs in the test command, no AWS account):  npx projen integ
 * For real (deploys, asserts, destroys; needs an AWS account):
 *   npx integ-runner --language typescript --update-on-failed --force test/integ.two-apis.ts
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { buildMigration } from './apps';

const app = new App();
const { provider, consumer, oldProbe, newProbe } = buildMigration(app);

const integ = new IntegTest(app, 'TwoApis', {
  testCases: [provider, consumer],
});

// The same answer through the old service name and through the new one.
const [viaOld, viaNew] = [oldProbe, newProbe].map(probe => integ.assertions
  .invokeFunction({ functionName: probe.lambdaFunction.functionName, payload: JSON.stringify({ path: '/api/task/2' }) }));
for (const call of [viaOld, viaNew]) {
  call
    .expect(ExpectedResult.objectLike({
      Payload: Match.serializedJson({ id: 2, name: 'task2', description: 'This is task 2' }),
    }))
    // The tasks and the endpoints may need a few minutes after the stacks are complete.
    .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(30) });
}
viaOld.next(viaNew);

// integ-tests-alpha's assertion provider grants the invalid IAM action lambda:Invoke beside
// lambda:InvokeFunction; cfn-lint W3037 is ignored for this generated stack only (see
// test/lint/cfnlintrc.yaml). Template metadata replaces the config file's list, so W3005 is repeated.
Stack.of(viaOld).templateOptions.metadata = { 'cfn-lint': { config: { ignore_checks: ['W3005', 'W3037'] } } };

app.synth();
