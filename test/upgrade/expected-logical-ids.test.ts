/**
 * `expectedLogicalIds`: the user pins the deployed logical IDs of the endpoint service and the
 * NLB, and synthesis fails when a change would replace them (test/upgrade/pinned-logical-ids.json
 * does the same for the library's own changes).
 */
import { readFileSync } from 'fs';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { PIN_FILE } from './pins';
import { EcsPrivateLinkApi, ExpectedLogicalIds } from '../../src';
import { FLAG_SETTINGS, IMAGE } from '../helpers';

/** The default configuration's IDs (stack 'Provider', the API at 'Api'), as pinned. */
const pinned = Object.entries(JSON.parse(readFileSync(PIN_FILE, 'utf8'))
  .configurations['default: one service, the library\'s VPC and cluster'].Provider as Record<string, { what: string }>);
const idOf = (what: string) => pinned.find(([, pin]) => pin.what === what)![0];
const DEPLOYED: ExpectedLogicalIds = {
  endpointService: idOf('the endpoint service'),
  networkLoadBalancer: idOf('the NLB behind the endpoint service'),
};

describe.each(FLAG_SETTINGS)('expectedLogicalIds with $name', ({ context }) => {
  const newStack = () => new Stack(new App({ context }), 'Provider');

  test('the deployed IDs: synthesis succeeds', () => {
    const stack = newStack();
    new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, expectedLogicalIds: DEPLOYED });
    const template = Template.fromStack(stack);
    template.templateMatches({ Resources: { [DEPLOYED.endpointService!]: { Type: 'AWS::EC2::VPCEndpointService' } } });
    template.templateMatches({ Resources: { [DEPLOYED.networkLoadBalancer!]: { Properties: { Type: 'network' } } } });
  });

  test('the API moved into a construct: synthesis fails, naming the new and the deployed ID and the consequence', () => {
    // GIVEN the deployed IDs WHEN the user wraps the API in a construct of theirs
    const stack = newStack();
    new EcsPrivateLinkApi(new Construct(stack, 'Apis'), 'Api', { image: IMAGE, expectedLogicalIds: DEPLOYED });
    // THEN
    expect(() => Template.fromStack(stack)).toThrow(new RegExp(
      '\\[Provider/Apis/Api\\] the endpoint service would get logical ID \'ApisApiEndpointService\\w+\', not the deployed ' +
      `'${DEPLOYED.endpointService}' \\(expectedLogicalIds.endpointService\\): CloudFormation would create a new endpoint service, ` +
      'with a NEW service name, and delete the old one: every consumer endpoint would break.*cdk refactor'));
    expect(() => Template.fromStack(stack)).toThrow(new RegExp(
      `the NLB would get logical ID 'ApisApiNetworkLoadBalancer\\w+', not the deployed '${DEPLOYED.networkLoadBalancer}'`));
  });

  test('only the endpoint service pinned: a moved API fails on it alone', () => {
    const stack = newStack();
    new EcsPrivateLinkApi(new Construct(stack, 'Apis'), 'Api', { image: IMAGE, expectedLogicalIds: { endpointService: DEPLOYED.endpointService } });
    expect(() => Template.fromStack(stack)).toThrow(/expectedLogicalIds\.endpointService/);
    expect(() => Template.fromStack(stack)).not.toThrow(/expectedLogicalIds\.networkLoadBalancer/);
  });

  test('overrideLogicalId after construction counts: the check runs at synthesis', () => {
    // GIVEN a moved API WHEN the user keeps the deployed IDs with overrideLogicalId
    const stack = newStack();
    const api = new EcsPrivateLinkApi(new Construct(stack, 'Apis'), 'Api', { image: IMAGE, expectedLogicalIds: DEPLOYED });
    api.endpointService.node.children.find(CfnResource.isCfnResource)!.overrideLogicalId(DEPLOYED.endpointService!);
    (api.networkLoadBalancer.node.defaultChild as CfnResource).overrideLogicalId(DEPLOYED.networkLoadBalancer!);
    // THEN
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test('without expectedLogicalIds nothing is checked', () => {
    const stack = newStack();
    new EcsPrivateLinkApi(new Construct(stack, 'Apis'), 'Api', { image: IMAGE });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});

describe.each(FLAG_SETTINGS)('two APIs with one private DNS name, with $name', ({ context }) => {
  const warningsOf = (stack: Stack) => Annotations.fromStack(stack)
    .findWarning('*', Match.stringLikeRegexp('cdk-ecs-privatelink:privateDnsNameShared')).map(w => ({ path: w.id, text: String(w.entry.data) }));

  test('the second API warns: consumers enable private DNS on one endpoint at a time', () => {
    // GIVEN an API with a private DNS name WHEN a second one (the target of a move) takes the same name
    const app = new App({ context });
    const stack = new Stack(app, 'Provider');
    new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, privateDnsName: 'api.example.com' });
    new EcsPrivateLinkApi(new Stack(app, 'Next'), 'ApiV2', { image: IMAGE, privateDnsName: 'api.example.com' });
    // THEN
    expect(warningsOf(stack)).toEqual([]);
    expect(warningsOf(app.node.findChild('Next') as Stack)).toEqual([{
      path: '/Next/ApiV2',
      text: expect.stringMatching(/^privateDnsName api\.example\.com is also the name of Provider\/Api\. A consumer VPC can enable private DNS for a name on one endpoint at a time/),
    }]);
  });

  test('different names: no warning', () => {
    const stack = new Stack(new App({ context }), 'Provider');
    new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, privateDnsName: 'api.example.com' });
    new EcsPrivateLinkApi(stack, 'ApiV2', { image: IMAGE, privateDnsName: 'api-v2.example.com' });
    expect(warningsOf(stack)).toEqual([]);
  });
});
