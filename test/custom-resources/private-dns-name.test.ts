import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { evaluate, lifecycle } from './lifecycle';
import { EcsPrivateLinkApi } from '../../src';
import { IMAGE } from '../helpers';

/** The provider's template with `privateDnsName`. */
function providerTemplate(name: string, withZone = false): any {
  const stack = new Stack(new App(), 'Provider');
  new EcsPrivateLinkApi(stack, 'Api', {
    image: IMAGE,
    privateDnsName: name,
    publicHostedZone: withZone
      ? route53.PublicHostedZone.fromPublicHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z1', zoneName: 'example.com' })
      : undefined,
  });
  return Template.fromStack(stack).toJSON();
}

const idOf = (template: any, part: string) => Object.keys(template.Resources).find(id => id.includes(part) && template.Resources[id].Type === 'Custom::AWS')!;

/** The name the endpoint service has after the calls, as EC2 would keep it. */
function nameAfter(calls: Array<{ parameters: any }>): string | undefined {
  let name: string | undefined;
  for (const { parameters } of calls) {
    if (parameters.RemovePrivateDnsName) {
      name = undefined;
    } else if (parameters.PrivateDnsName) {
      name = parameters.PrivateDnsName;
    }
  }
  return name;
}

describe('PrivateDnsName custom resources: create, rename, delete', () => {
  const a = providerTemplate('api.example.com');
  const b = providerTemplate('api2.example.com');
  const setName = idOf(a, 'SetName');

  test('the name is set under the service\'s ID, so a rename is an update, never a replacement', () => {
    // GIVEN / WHEN the stack is deployed with api.example.com, then with api2.example.com
    const calls = lifecycle([a, b], setName);
    const service = Object.keys(a.Resources).find(id => a.Resources[id].Type === 'AWS::EC2::VPCEndpointService')!;
    // THEN
    expect(calls.map(c => [c.request, c.physicalResourceId, c.parameters.PrivateDnsName ?? 'remove'])).toEqual([
      ['Create', `<${service}>`, 'api.example.com'],
      ['Update', `<${service}>`, 'api2.example.com'],
      ['Delete', `<${service}>`, 'remove'],
    ]);
  });

  test('after the rename the service has the new name (nothing removes it afterwards)', () => {
    const calls = lifecycle([a, b], setName);
    const throughRename = calls.slice(0, calls.length - 1); // every call but the final stack deletion
    expect(nameAfter(throughRename)).toBe('api2.example.com');
  });

  test('deleting the stack removes the name', () => {
    expect(nameAfter(lifecycle([a, b], setName))).toBeUndefined();
  });

  test('the verification record is read again after a rename (a read-only replacement; its Delete does nothing)', () => {
    const reader = idOf(a, 'ReadVerificationRecord');
    const calls = lifecycle([a, b], reader);
    expect(calls.map(c => [c.request, c.action])).toEqual([
      ['Create', 'describeVpcEndpointServiceConfigurations'],
      ['Update', 'describeVpcEndpointServiceConfigurations'],
    ]);
    expect(calls[0].physicalResourceId).not.toEqual(calls[1].physicalResourceId);
  });

  test('with a zone: a rename starts a new verification; deleting the stack starts none', () => {
    const withZoneA = providerTemplate('api.example.com', true);
    const withZoneB = providerTemplate('api2.example.com', true);
    const verify = idOf(withZoneA, 'StartVerification');
    const calls = lifecycle([withZoneA, withZoneB], verify, { [`${idOf(withZoneA, 'ReadVerificationRecord')}.ServiceConfigurations.0.PrivateDnsNameConfiguration.Value`]: 'token' });
    expect(calls.map(c => [c.request, c.action])).toEqual([
      ['Create', 'startVpcEndpointServicePrivateDnsVerification'],
      ['Update', 'startVpcEndpointServicePrivateDnsVerification'],
    ]);
  });

  test('the simulator itself: a physical ID that follows the name replaces, and the old Delete runs last', () => {
    // GIVEN a template edited the way this library once wrote it (physical ID = the domain name)
    const old = (template: any, name: string) => {
      const copy = JSON.parse(JSON.stringify(template));
      for (const request of ['Create', 'Update', 'Delete']) {
        const call = JSON.parse(evaluate(copy.Resources[setName].Properties[request]));
        call.physicalResourceId = { id: name };
        copy.Resources[setName].Properties[request] = JSON.stringify(call);
      }
      return copy;
    };
    // WHEN renamed
    const calls = lifecycle([old(a, 'api.example.com'), old(b, 'api2.example.com')], setName);
    // THEN the rename ends with the name removed: the defect issue #11 describes
    expect(calls.map(c => c.request)).toEqual(['Create', 'Update', 'Delete', 'Delete']);
    expect(nameAfter(calls.slice(0, 3))).toBeUndefined();
  });
});

describe('PrivateDnsName against the AWS response shapes it reads, and upgrades', () => {
  /**
   * A DescribeVpcEndpointServiceConfigurations response for one service ID, in the shape of the
   * EC2 API reference (ServiceConfiguration, PrivateDnsNameConfiguration: Name, State, Type, Value).
   * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_PrivateDnsNameConfiguration.html
   */
  const RESPONSE = {
    ServiceConfigurations: [{
      ServiceId: 'vpce-svc-0123456789abcdef0',
      ServiceName: 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0',
      ServiceState: 'Available',
      AcceptanceRequired: true,
      PrivateDnsName: 'api.example.com',
      PrivateDnsNameConfiguration: { State: 'pendingVerification', Type: 'TXT', Value: 'vpce:l6p0ERxlTt45jevFwOCp', Name: '_6e86v84tqgqubxbwii1m' },
    }],
  };
  /** The attribute names AwsCustomResource makes of a response: its leaves, keys joined by dots. */
  const flatten = (value: any, prefix = ''): Record<string, unknown> => (value !== null && typeof value === 'object')
    ? Object.assign({}, ...Object.entries(value).map(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k)))
    : { [prefix]: value };

  test('the verification record\'s attributes exist in the response for the one service ID the call names', () => {
    const template = providerTemplate('api.example.com');
    const reader = idOf(template, 'ReadVerificationRecord');
    const call = JSON.parse(evaluate(template.Resources[reader].Properties.Create));
    expect(call.parameters.ServiceIds).toHaveLength(1);
    const attributes = flatten(RESPONSE);
    for (const path of call.outputPaths) {
      expect(attributes).toHaveProperty([path]);
    }
    expect(attributes['ServiceConfigurations.0.PrivateDnsNameConfiguration.Name']).toBe('_6e86v84tqgqubxbwii1m');
  });

  test('upgrading from the release whose physical ID was the name updates in place: the name is never removed', () => {
    // GIVEN a stack deployed by the earlier release (physical ID = the domain name, on every call)
    const earlier = JSON.parse(JSON.stringify(providerTemplate('api.example.com')));
    const setName = idOf(earlier, 'SetName');
    for (const request of ['Create', 'Update', 'Delete']) {
      const call = JSON.parse(evaluate(earlier.Resources[setName].Properties[request]));
      call.physicalResourceId = { id: 'api.example.com' };
      earlier.Resources[setName].Properties[request] = JSON.stringify(call);
    }
    // WHEN it is updated with this release's template, then renamed
    const calls = lifecycle([earlier, providerTemplate('api.example.com'), providerTemplate('api2.example.com')], setName);
    // THEN no Delete runs before the stack's own deletion, and the physical ID stays the one it had
    expect(calls.map(c => [c.request, c.physicalResourceId])).toEqual([
      ['Create', 'api.example.com'],
      ['Update', 'api.example.com'],
      ['Update', 'api.example.com'],
      ['Delete', 'api.example.com'],
    ]);
  });
});
