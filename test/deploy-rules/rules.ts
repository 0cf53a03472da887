/**
 * AWS's deploy-time rules this library relies on, as checks over a synthesized CloudFormation
 * template. Each rule names the AWS document it comes from; `test/deploy-rules` runs every rule
 * over every template the test command synthesizes, and shows each rule rejecting a bad
 * template. A template these rules reject fails a deploy (or works silently wrong) on AWS.
 */

import { albTargetGroupFieldsAwsLeavesAlone } from '../../src/checks/rules';

export type Json = any;
export interface Template { Resources: Record<string, { Type: string; Properties?: Json; DependsOn?: string | string[] }> }

/** A resource a rule rejects, and why. */
export interface Finding {
  readonly rule: string;
  readonly resource: string;
  readonly message: string;
}

export interface DeployRule {
  readonly id: string;
  /** What AWS requires, in one sentence. */
  readonly statement: string;
  /** The AWS document (or CloudFormation reference) that says so. */
  readonly source: string;
  check(template: Template): Finding[];
}

// ---- helpers over templates -------------------------------------------------------------------

function resourcesOf(template: Template, type: string): Array<[string, Json]> {
  return Object.entries(template.Resources ?? {}).filter(([, r]) => r.Type === type).map(([id, r]) => [id, r.Properties ?? {}]);
}

/** The logical ID a `{ Ref }` or `{ Fn::GetAtt }` points at, if any. */
function refOf(value: Json): string | undefined {
  return value?.Ref ?? value?.['Fn::GetAtt']?.[0];
}

function dependsOn(template: Template, id: string): string[] {
  const d = template.Resources[id]?.DependsOn;
  return d === undefined ? [] : Array.isArray(d) ? d : [d];
}

/** Every `Fn::GetAtt` in a value, as [logical ID, attribute]. */
function getAtts(value: Json, found: Array<[string, string]> = []): Array<[string, string]> {
  if (Array.isArray(value)) {
    value.forEach(v => getAtts(v, found));
  } else if (value !== null && typeof value === 'object') {
    if (Array.isArray(value['Fn::GetAtt'])) {
      found.push([value['Fn::GetAtt'][0], String(value['Fn::GetAtt'][1])]);
    }
    Object.values(value).forEach(v => getAtts(v, found));
  }
  return found;
}

/** A template value with its intrinsic functions replaced by placeholders (for JSON in strings). */
function plain(value: Json): Json {
  if (Array.isArray(value)) {
    return value.map(plain);
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  if ('Fn::Join' in value) {
    return value['Fn::Join'][1].map((p: Json) => typeof p === 'string' ? p : 'TOKEN').join(value['Fn::Join'][0]);
  }
  if ('Ref' in value || 'Fn::GetAtt' in value) {
    return 'TOKEN';
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
}

const asList = (v: Json): Json[] => v === undefined ? [] : Array.isArray(v) ? v : [v];

// ---- the rules --------------------------------------------------------------------------------

const ALB_TARGET = 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/application-load-balancer-target.html';
/** What the library sets on a target group of type alb; AWS's sample sets no health-check field at all. */
const ALB_TG_HEALTH_CHECK_FIELDS = ['HealthCheckEnabled', 'HealthCheckIntervalSeconds', 'HealthCheckPath', 'HealthCheckPort',
  'HealthCheckProtocol', 'HealthyThresholdCount', 'UnhealthyThresholdCount'];

export const albTargetGroup: DeployRule = {
  id: 'AlbTargetGroup',
  statement: 'An NLB target group of type alb uses TCP, the port of an existing listener of its one ALB (which must exist ' +
    'first), HTTP or HTTPS health checks, and none of the settings that can\'t be changed on it (timeout, matcher, attributes).',
  source: ALB_TARGET,
  check(template) {
    const findings: Finding[] = [];
    const listeners = resourcesOf(template, 'AWS::ElasticLoadBalancingV2::Listener');
    for (const [id, tg] of resourcesOf(template, 'AWS::ElasticLoadBalancingV2::TargetGroup').filter(([, p]) => p.TargetType === 'alb')) {
      const fail = (message: string) => findings.push({ rule: this.id, resource: id, message });
      if (tg.Protocol !== 'TCP') {
        fail(`protocol ${tg.Protocol}: an alb-type target group is TCP`);
      }
      const others = Object.keys(tg).filter(k => /^HealthCheck|Threshold/.test(k) && !ALB_TG_HEALTH_CHECK_FIELDS.includes(k));
      const leftToAws = albTargetGroupFieldsAwsLeavesAlone(tg.TargetType, {
        HealthCheckTimeoutSeconds: tg.HealthCheckTimeoutSeconds, Matcher: tg.Matcher, TargetGroupAttributes: tg.TargetGroupAttributes,
      });
      for (const key of new Set([...leftToAws, ...others])) {
        fail(`${key} is set: AWS's sample and guide leave it to the default on alb-type target groups`);
      }
      if (tg.HealthCheckProtocol !== undefined && !['HTTP', 'HTTPS'].includes(tg.HealthCheckProtocol)) {
        fail(`health-check protocol ${tg.HealthCheckProtocol}: alb targets take HTTP or HTTPS checks`);
      }
      const targets = asList(tg.Targets);
      if (targets.length !== 1) {
        fail(`${targets.length} targets: one ALB per target group`);
        continue;
      }
      const alb = refOf(targets[0].Id);
      const listener = listeners.find(([, l]) => refOf(l.LoadBalancerArn) === alb && l.Port === tg.Port);
      if (tg.Port !== targets[0].Port) {
        fail(`port ${tg.Port} differs from the target's port ${targets[0].Port}`);
      }
      if (alb && template.Resources[alb] && !listener) {
        fail(`no listener of ${alb} on port ${tg.Port}: the ALB must listen on the target group's port`);
      }
      const checkPort = tg.HealthCheckPort !== undefined && tg.HealthCheckPort !== 'traffic-port' ? Number(tg.HealthCheckPort) : tg.Port;
      if (alb && template.Resources[alb] && !listeners.some(([, l]) => refOf(l.LoadBalancerArn) === alb && l.Port === checkPort)) {
        fail(`no listener of ${alb} on the health-check port ${checkPort}`);
      }
      if (listener && !dependsOn(template, id).includes(listener[0])) {
        fail(`does not depend on the ALB listener ${listener[0]}, which must exist first`);
      }
    }
    return findings;
  },
};

export const indexedLookupRead: DeployRule = {
  id: 'IndexedLookupRead',
  statement: 'A template reads an element of a custom resource\'s list response (Subnets.1.SubnetId) only where the call ' +
    'always returns it: index 0 of a call that names exactly one resource by ID. A missing element fails the deploy ' +
    '("Vendor response doesn\'t contain ... attribute").',
  source: 'https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.custom_resources.AwsCustomResource.html',
  check(template) {
    const findings: Finding[] = [];
    for (const [reader, attr] of getAtts(template.Resources)) {
      const resource = template.Resources[reader];
      const index = /(?:^|\.)(\d+)(?:\.|$)/.exec(attr);
      if (resource?.Type !== 'Custom::AWS' || !index) {
        continue;
      }
      const calls = ['Create', 'Update'].map(r => resource.Properties?.[r]).filter(c => c !== undefined)
        .map(c => JSON.parse(typeof c === 'string' ? c : plain(c)));
      const oneById = calls.every(c => Object.entries(c.parameters ?? {}).some(([k, v]) => /Ids$/.test(k) && Array.isArray(v) && v.length === 1));
      if (Number(index[1]) > 0 || !oneById) {
        findings.push({ rule: this.id, resource: reader, message: `'${attr}' is read, but the call doesn't always return element ${index[1]}` });
      }
    }
    return findings;
  },
};

/** EC2's characters for security-group and rule descriptions (CreateSecurityGroup, IpRange). */
const GROUP_DESCRIPTION = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;
const RULE_DESCRIPTION = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=;{}!$*]*$/;

export const securityGroupDescriptions: DeployRule = {
  id: 'SecurityGroupDescriptions',
  statement: 'Security-group descriptions are at most 255 characters of a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*; ' +
    'rule descriptions the same without &.',
  source: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html, https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html',
  check(template) {
    const findings: Finding[] = [];
    const test = (id: string, what: string, text: Json, chars: RegExp) => {
      if (typeof text === 'string' && (text.length > 255 || !chars.test(text))) {
        findings.push({ rule: this.id, resource: id, message: `${what} '${text.slice(0, 80)}...' (${text.length} characters) breaks EC2's limits` });
      }
    };
    for (const [id, sg] of resourcesOf(template, 'AWS::EC2::SecurityGroup')) {
      test(id, 'GroupDescription', sg.GroupDescription, GROUP_DESCRIPTION);
      for (const rule of [...asList(sg.SecurityGroupIngress), ...asList(sg.SecurityGroupEgress)]) {
        test(id, 'rule Description', rule.Description, RULE_DESCRIPTION);
      }
    }
    for (const type of ['AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupEgress']) {
      for (const [id, rule] of resourcesOf(template, type)) {
        test(id, 'Description', rule.Description, RULE_DESCRIPTION);
      }
    }
    return findings;
  },
};

export const capacityProviderDependency: DeployRule = {
  id: 'CapacityProviderDependency',
  statement: 'An ECS service with a capacity-provider strategy depends on its cluster\'s capacity-provider association: ' +
    'ECS rejects a strategy naming a provider the cluster isn\'t associated with yet.',
  source: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html (capacityProviderStrategy), aws/containers-roadmap#631',
  check(template) {
    const associations = resourcesOf(template, 'AWS::ECS::ClusterCapacityProviderAssociations');
    return resourcesOf(template, 'AWS::ECS::Service')
      .filter(([, s]) => s.CapacityProviderStrategy !== undefined)
      .flatMap(([id, s]) => associations
        .filter(([, a]) => refOf(a.Cluster) !== undefined && refOf(a.Cluster) === refOf(s.Cluster))
        .filter(([association]) => !dependsOn(template, id).includes(association))
        .map(([association]) => ({ rule: this.id, resource: id, message: `uses a capacity-provider strategy but does not depend on ${association}` })));
  },
};

/** The condition keys that tie a service principal's grant to one source (confused deputy). */
const SOURCE_KEYS = ['aws:SourceArn', 'aws:SourceAccount', 'aws:SourceOwner', 'kms:EncryptionContext:aws:logs:arn', 'kms:ViaService', 'kms:CallerAccount'];

export const servicePrincipalConditions: DeployRule = {
  id: 'ServicePrincipalConditions',
  statement: 'A key, topic or queue policy that allows an AWS service principal names the source it acts for ' +
    '(aws:SourceArn / aws:SourceAccount, or the service\'s documented encryption-context key).',
  source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html, https://docs.aws.amazon.com/vpc/latest/privatelink/create-notification-endpoint-service.html',
  check(template) {
    const documents: Array<[string, Json]> = [
      ...resourcesOf(template, 'AWS::KMS::Key').map(([id, p]): [string, Json] => [id, p.KeyPolicy]),
      ...resourcesOf(template, 'AWS::SNS::TopicPolicy').map(([id, p]): [string, Json] => [id, p.PolicyDocument]),
      ...resourcesOf(template, 'AWS::SQS::QueuePolicy').map(([id, p]): [string, Json] => [id, p.PolicyDocument]),
    ];
    const findings: Finding[] = [];
    for (const [id, document] of documents) {
      for (const statement of asList(document?.Statement).filter((s: Json) => s.Effect === 'Allow')) {
        const services = asList(statement.Principal?.Service).map(s => JSON.stringify(s));
        const keys = Object.values(statement.Condition ?? {}).flatMap(c => Object.keys(c as object));
        if (services.length > 0 && !keys.some(k => SOURCE_KEYS.includes(k))) {
          findings.push({ rule: this.id, resource: id, message: `allows ${services.join(', ')} without a source condition` });
        }
      }
    }
    return findings;
  },
};

export const dualStackSubnets: DeployRule = {
  id: 'DualStackSubnets',
  statement: 'A dual-stack load balancer, and an IPv6 or dual-stack interface endpoint, are in subnets with IPv6 CIDR blocks.',
  source: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-ip-address-type.html, https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html',
  check(template) {
    const withoutIpv6 = (subnet: Json) => {
      const id = refOf(subnet);
      const p = id && template.Resources[id]?.Type === 'AWS::EC2::Subnet' ? template.Resources[id].Properties ?? {} : undefined;
      return p !== undefined && p.Ipv6CidrBlock === undefined && !p.Ipv6Native && p.Ipv6IpamPoolId === undefined ? id : undefined;
    };
    const findings: Finding[] = [];
    for (const [id, lb] of resourcesOf(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer').filter(([, p]) => p.IpAddressType === 'dualstack')) {
      for (const subnet of asList(lb.Subnets).map(withoutIpv6).filter(s => s)) {
        findings.push({ rule: this.id, resource: id, message: `dual stack, in subnet ${subnet} without an IPv6 CIDR` });
      }
    }
    for (const [id, ep] of resourcesOf(template, 'AWS::EC2::VPCEndpoint').filter(([, p]) => ['ipv6', 'dualstack'].includes(p.IpAddressType))) {
      for (const subnet of asList(ep.SubnetIds).map(withoutIpv6).filter(s => s)) {
        findings.push({ rule: this.id, resource: id, message: `${ep.IpAddressType}, in subnet ${subnet} without an IPv6 CIDR` });
      }
    }
    return findings;
  },
};

/** Value characters of ALB rule conditions (add-rule.html). */
const PATH_VALUE = /^[A-Za-z0-9_\-.$/~"'@:+&*?]*$/;
const HOST_VALUE = /^[A-Za-z0-9_*?.-]*\.[A-Za-z]+$/;

export const listenerRuleConditions: DeployRule = {
  id: 'ListenerRuleConditions',
  statement: 'An ALB rule has at most five condition values, each at most 128 characters of the condition\'s character set.',
  source: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html, https://docs.aws.amazon.com/elasticloadbalancing/latest/application/add-rule.html',
  check(template) {
    const findings: Finding[] = [];
    for (const [id, rule] of resourcesOf(template, 'AWS::ElasticLoadBalancingV2::ListenerRule')) {
      let count = 0;
      for (const condition of asList(rule.Conditions)) {
        const values: string[] = condition.PathPatternConfig?.Values ?? condition.HostHeaderConfig?.Values ?? condition.Values ?? [];
        const chars = condition.Field === 'host-header' ? HOST_VALUE : condition.Field === 'path-pattern' ? PATH_VALUE : /./;
        count += values.length;
        for (const value of values.filter(v => typeof v === 'string')) {
          if (value.length > 128 || !chars.test(value)) {
            findings.push({ rule: this.id, resource: id, message: `${condition.Field} value '${value}' breaks ALB's limits` });
          }
        }
      }
      if (count > 5) {
        findings.push({ rule: this.id, resource: id, message: `${count} condition values; ALB allows 5 per rule` });
      }
    }
    return findings;
  },
};

export const logGroupKeyPolicy: DeployRule = {
  id: 'LogGroupKeyPolicy',
  statement: 'A log group encrypted with a KMS key of the template has a key whose policy lets CloudWatch Logs ' +
    '(logs.<region>.amazonaws.com) use it; otherwise creating the log group fails.',
  source: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html',
  check(template) {
    return resourcesOf(template, 'AWS::Logs::LogGroup')
      .map(([id, group]): [string, string | undefined] => [id, refOf(group.KmsKeyId)])
      .filter(([, key]) => key !== undefined && template.Resources[key]?.Type === 'AWS::KMS::Key')
      .filter(([, key]) => !asList(template.Resources[key!].Properties?.KeyPolicy?.Statement)
        .some((s: Json) => JSON.stringify(s.Principal?.Service ?? '').includes('logs.') && JSON.stringify(s.Action).includes('kms:GenerateDataKey')))
      .map(([id, key]) => ({ rule: this.id, resource: id, message: `encrypted with ${key}, whose policy doesn't let CloudWatch Logs use it` }));
  },
};

/** Every rule the gate runs. */
export const DEPLOY_RULES: DeployRule[] = [
  albTargetGroup, indexedLookupRead, securityGroupDescriptions, capacityProviderDependency,
  servicePrincipalConditions, dualStackSubnets, listenerRuleConditions, logGroupKeyPolicy,
];

/** Every finding of every rule over a template. */
export function checkTemplate(template: Template): Finding[] {
  return DEPLOY_RULES.flatMap(rule => rule.check(template));
}
