/**
 * Logical-ID pins: what CloudFormation knows the resources of the PrivateLink chain by, and the
 * values of their create-only properties. A change to either replaces the resource, and the
 * endpoint service's replacement gives it a new name that no consumer has configured.
 *
 * `pinsOf` reads them from synthesized stacks; `comparePins` explains every difference by its
 * consequence for the customers.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { ApiService, EcsPrivateLinkApi, PrivateLinkConsumer } from '../../src';

/** Where the pins are committed. */
export const PIN_FILE = path.join(__dirname, 'pinned-logical-ids.json');

/** How to rewrite the pins on purpose. */
export const UPDATE_COMMAND = 'UPDATE_PINS=1 npx jest test/upgrade/logical-ids.test.ts';

/** What each breaking finding ends with. */
export const BREAKING_ADVICE = 'If this is intended it is a breaking change: see README \'Upgrades and changes that replace the service\' ' +
  `and bump the major version (feat!: / BREAKING CHANGE:), then refresh the pins (${UPDATE_COMMAND}).`;

/** The create-only properties of each pinned type, and the CloudFormation reference that says so. */
export const REPLACEMENT_PROPERTIES: Record<string, { doc: string; replacedWhenChanged: string[] }> = Object.fromEntries(
  Object.entries(JSON.parse(readFileSync(path.join(__dirname, 'replacement-properties.json'), 'utf8')))
    .filter(([type]) => !type.startsWith('$')),
) as Record<string, { doc: string; replacedWhenChanged: string[] }>;

/** One pinned resource. */
export interface Pin {
  readonly type: string;
  /** What it is in the chain, for people. */
  readonly what: string;
  /** Its construct path, for people (a change alone replaces nothing). */
  readonly path: string;
  /** The values of its create-only properties that the template sets. */
  readonly createOnly: Record<string, unknown>;
}

/** Stack name → logical ID → pin. */
export type StackPins = Record<string, Record<string, Pin>>;

/** A difference between the pins and a synthesized app. */
export interface Finding {
  /** Whether deploying it replaces (or fails to replace) a resource of the chain. */
  readonly breaking: boolean;
  readonly message: string;
}

type Properties = Record<string, any>;

/** What a resource is in the chain, and what its replacement does to the customers. */
interface Kind {
  readonly what: string;
  readonly replaced: string;
}

const KINDS = {
  endpointService: {
    what: 'the endpoint service',
    replaced: 'CloudFormation will create a new endpoint service with a NEW service name and delete the old one — every consumer endpoint breaks',
  },
  permissions: {
    what: 'the endpoint service\'s allowed principals',
    replaced: 'CloudFormation will grant the principals again through a new resource, then delete the old one, which revokes the ' +
      'same principals — consumers lose the permission to create endpoints',
  },
  nlb: {
    what: 'the NLB behind the endpoint service',
    replaced: 'CloudFormation will create a new NLB, move the endpoint service to it and delete the old NLB — the service name stays, ' +
      'but open connections drop and AWS documents no seamless move of existing endpoints to another load balancer',
  },
  alb: {
    what: 'the ALB',
    replaced: 'CloudFormation will create a new ALB, register it in the NLB\'s alb-type target group and delete the old one — ' +
      'open connections drop, and requests fail until the new ALB passes the NLB\'s health check',
  },
  nlbListener: {
    what: 'an NLB listener',
    replaced: 'CloudFormation will create the new listener before deleting the old one, on the same port — Elastic Load Balancing ' +
      'rejects a second listener on a port (DuplicateListener), so the deploy fails and rolls back',
  },
  albListener: {
    what: 'an ALB listener',
    replaced: 'CloudFormation will create the new listener before deleting the old one, on the same port — Elastic Load Balancing ' +
      'rejects a second listener on a port (DuplicateListener), so the deploy fails and rolls back',
  },
  listenerRule: {
    what: 'an ALB listener rule',
    replaced: 'CloudFormation will create the new rule before deleting the old one, with the same priority — Elastic Load Balancing ' +
      'rejects it (PriorityInUse), so the deploy fails and rolls back',
  },
  albTargetGroup: {
    what: 'the NLB\'s alb-type target group',
    replaced: 'CloudFormation will create a new alb-type target group, point the NLB listener at it and delete the old one — ' +
      'connections on the old group end, and new ones reach the ALB only once it is healthy in the new group',
  },
  serviceTargetGroup: {
    what: 'a service\'s target group',
    replaced: 'CloudFormation will create a new target group, ECS rolls the service out onto it, and the old one is deleted — ' +
      'open connections to the tasks drop',
  },
  ecsService: {
    what: 'an ECS service',
    replaced: 'CloudFormation will start a second service with the same tasks and delete the old one — twice the tasks for a while; ' +
      'with a fixed service name the deploy fails instead',
  },
  cluster: {
    what: 'the cluster the library created',
    replaced: 'CloudFormation will create a new cluster and replace every ECS service in it (Cluster is create-only on AWS::ECS::Service)',
  },
  securityGroup: {
    what: 'a security group of the chain',
    replaced: 'CloudFormation will create a new security group, move the load balancer, endpoint or tasks to it (the tasks by a new ' +
      'ECS deployment) and delete the old one',
  },
  vpc: {
    what: 'the VPC the library created',
    replaced: 'the load balancers would have to move to new subnets, and an NLB with an active endpoint association cannot remove ' +
      'subnets — the deploy fails and rolls back',
  },
  subnet: {
    what: 'a subnet of the VPC the library created',
    replaced: 'the load balancers would have to move to new subnets, and an NLB with an active endpoint association cannot remove ' +
      'subnets — the deploy fails and rolls back',
  },
  consumerEndpoint: {
    what: 'the consumer\'s interface endpoint',
    replaced: 'CloudFormation will create a new endpoint before deleting the old one — new vpce-… DNS names, a new connection ' +
      'request the provider must accept, and with private DNS the creation fails (a VPC holds one endpoint for a private DNS name)',
  },
  privateDnsName: {
    what: 'the custom resource that sets the private DNS name',
    replaced: 'CloudFormation will set the name through a new resource, then delete the old one, whose Delete removes the private ' +
      'DNS name from the endpoint service — consumers that use private DNS can no longer resolve it',
  },
} satisfies Record<string, Kind>;

/** The kind of a resource of the library's; undefined: not pinned. */
function kindOf(type: string, props: Properties, constructPath: string): Kind | undefined {
  switch (type) {
    case 'AWS::EC2::VPCEndpointService': return KINDS.endpointService;
    case 'AWS::EC2::VPCEndpointServicePermissions': return KINDS.permissions;
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer': return props.Type === 'network' ? KINDS.nlb : KINDS.alb;
    case 'AWS::ElasticLoadBalancingV2::Listener': return props.Protocol === 'TCP' ? KINDS.nlbListener : KINDS.albListener;
    case 'AWS::ElasticLoadBalancingV2::ListenerRule': return KINDS.listenerRule;
    case 'AWS::ElasticLoadBalancingV2::TargetGroup': return props.TargetType === 'alb' ? KINDS.albTargetGroup : KINDS.serviceTargetGroup;
    case 'AWS::ECS::Service': return KINDS.ecsService;
    case 'AWS::ECS::Cluster': return KINDS.cluster;
    case 'AWS::EC2::SecurityGroup': return KINDS.securityGroup;
    case 'AWS::EC2::VPC': return KINDS.vpc;
    case 'AWS::EC2::Subnet': return KINDS.subnet;
    case 'AWS::EC2::VPCEndpoint': return KINDS.consumerEndpoint;
    // aws-cdk-lib's AwsCustomResource: only the one that sets the private DNS name matters.
    case 'Custom::AWS': return /\/PrivateDnsName\/SetName\//.test(`${constructPath}/`) ? KINDS.privateDnsName : undefined;
    default: return undefined;
  }
}

/** The library's constructs in `scope`: what the pins cover (not the test's own VPCs, topics...). */
function libraryConstructs(scope: IConstruct): IConstruct[] {
  return scope.node.findAll().filter(c => c instanceof EcsPrivateLinkApi || c instanceof ApiService || c instanceof PrivateLinkConsumer);
}

/** The pins of the chain's resources in `stacks`, as synthesized. */
export function pinsOf(stacks: Stack[]): StackPins {
  const result: StackPins = {};
  for (const stack of stacks) {
    const template = Template.fromStack(stack).toJSON().Resources as Record<string, { Properties?: Properties }>;
    const owners = libraryConstructs(stack).map(c => `${c.node.path}/`);
    const pins: Record<string, Pin> = {};
    for (const resource of stack.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c))) {
      const constructPath = resource.node.path;
      if (!owners.some(o => constructPath.startsWith(o)) || Stack.of(resource) !== stack) {
        continue;
      }
      const logicalId = stack.resolve(resource.logicalId) as string;
      const props = template[logicalId]?.Properties ?? {};
      const kind = kindOf(resource.cfnResourceType, props, constructPath);
      if (kind) {
        const type = resource.cfnResourceType;
        pins[logicalId] = { type, what: kind.what, path: constructPath, createOnly: createOnlyValues(type, props) };
      }
    }
    result[stack.stackName] = sortedByKey(pins);
  }
  return result;
}

/** The create-only properties the template sets (nested ones as `A/B`). */
function createOnlyValues(type: string, props: Properties): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const name of REPLACEMENT_PROPERTIES[type]?.replacedWhenChanged ?? []) {
    const value = name.split('/').reduce<any>((v, key) => v?.[key], props);
    if (value !== undefined) {
      values[name] = value;
    }
  }
  return values;
}

/** Every difference between `pinned` and `actual`, each explained. */
export function comparePins(pinned: StackPins, actual: StackPins): Finding[] {
  const findings: Finding[] = [];
  for (const stackName of new Set([...Object.keys(pinned), ...Object.keys(actual)])) {
    const before = pinned[stackName] ?? {};
    const after = actual[stackName] ?? {};
    const added = Object.keys(after).filter(id => !(id in before));
    const renamed = new Set<string>();
    for (const [id, pin] of Object.entries(before)) {
      const now = after[id];
      if (!now) {
        const to = renameOf(pin, added, after);
        if (to) {
          renamed.add(to);
        }
        findings.push(breaking(`${pin.type} ${id} (${pin.what}, ${pin.path}) changed logical ID${to ? ` (to ${to})` : ' (or is gone)'}: ${replacedBy(pin)}.`));
        continue;
      }
      if (now.type !== pin.type) {
        findings.push(breaking(`${pin.type} ${id} (${pin.what}) became a ${now.type}: CloudFormation replaces it. ${replacedBy(pin)}.`));
        continue;
      }
      for (const name of new Set([...Object.keys(pin.createOnly), ...Object.keys(now.createOnly)])) {
        const from = JSON.stringify(pin.createOnly[name]);
        const to = JSON.stringify(now.createOnly[name]);
        if (from !== to) {
          findings.push(breaking(`${pin.type} ${id} (${pin.what}, ${pin.path}): ${name} changed from ${from ?? '(not set)'} to ` +
            `${to ?? '(not set)'}, and ${name} is create-only ("Update requires: Replacement", ${REPLACEMENT_PROPERTIES[pin.type].doc}): ` +
            `${replacedBy(pin)}.`));
        }
      }
      if (now.path !== pin.path || now.what !== pin.what) {
        findings.push({ breaking: false, message: `${pin.type} ${id} keeps its logical ID, but is now ${now.what} at ${now.path}: refresh the pins (${UPDATE_COMMAND}).` });
      }
    }
    for (const id of added.filter(a => !renamed.has(a))) {
      const pin = after[id];
      findings.push({ breaking: false, message: `${pin.type} ${id} (${pin.what}, ${pin.path}) is not pinned: pin it (${UPDATE_COMMAND}) once its logical ID is final.` });
    }
  }
  return findings;
}

function breaking(message: string): Finding {
  return { breaking: true, message: `${message} ${BREAKING_ADVICE}` };
}

/**
 * The new logical ID of a pinned resource, if one new resource of its kind is clearly it: the only
 * one, or the one whose construct path ends most like the old one's (a construct moved or renamed).
 */
function renameOf(pin: Pin, added: string[], after: Record<string, Pin>): string | undefined {
  const candidates = added.filter(id => after[id].type === pin.type && after[id].what === pin.what);
  if (candidates.length <= 1) {
    return candidates[0];
  }
  const score = (id: string) => commonTail(pin.path.split('/'), after[id].path.split('/'));
  const best = Math.max(...candidates.map(score));
  const winners = candidates.filter(id => score(id) === best);
  return best > 0 && winners.length === 1 ? winners[0] : undefined;
}

/** How many trailing elements `a` and `b` share. */
function commonTail(a: string[], b: string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) {
    n++;
  }
  return n;
}

function replacedBy(pin: Pin): string {
  return Object.values(KINDS).find(k => k.what === pin.what)?.replaced ?? 'CloudFormation will replace it';
}

function sortedByKey<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}
