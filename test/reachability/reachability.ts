/**
 * Reads a synthesized provider template and computes who can reach what: the open paths from
 * the endpoint service through the NLB and ALB listeners to each service's container port, and
 * every ingress rule into the load balancers and the tasks. `violations()` lists whatever is
 * open beyond the one intended path.
 */

type Resource = { Type: string; Properties?: Record<string, any> };
export type Template = { Resources: Record<string, Resource> };

/** One ingress rule: who may reach a security group, on which ports. */
export interface Ingress {
  /** The security group that admits the traffic. */
  readonly group: string;
  /** Another security group's logical ID, or a CIDR / prefix list. */
  readonly source: string;
  readonly sourceIsGroup: boolean;
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
}

export interface Reachability {
  /** Open paths, e.g. `endpoint service -> NLB TCP 80 -> ALB HTTP 8888 -> Service 8080`. */
  readonly paths: string[];
  /** Paths the listeners and target groups describe but the security groups block. */
  readonly blocked: string[];
  /**
   * The NLB's health checks of the ALB, e.g. `NLB HTTPS 444 /health -> ALB HTTPS 444`, with
   * `(blocked)` when the security groups drop them and `(client certificate required)` when
   * the listener they reach verifies client certificates, which a health check has none of.
   */
  readonly healthChecks: string[];
  /** Role of each security group: `NLB`, `ALB` or `tasks:<ECS service logical ID>`. */
  readonly roles: Record<string, string>;
  readonly ingress: Ingress[];
  /**
   * The ports the path needs each group to admit: the ALB listener ports (and the NLB's
   * health-check ports), the container ports.
   */
  readonly intendedPorts: Record<string, number[]>;
  /** Whether consumer traffic is filtered by the NLB security group's inbound rules. */
  readonly nlbEnforcesInboundRules: boolean;
}

const refOf = (value: any): string | undefined => value?.Ref ?? value?.['Fn::GetAtt']?.[0];
const ALL_PORTS = { fromPort: 0, toPort: 65535 };

function rulesOf(template: Template, direction: 'ingress' | 'egress'): Ingress[] {
  const resources = template.Resources;
  const inlineKey = direction === 'ingress' ? 'SecurityGroupIngress' : 'SecurityGroupEgress';
  const standalone = direction === 'ingress' ? 'AWS::EC2::SecurityGroupIngress' : 'AWS::EC2::SecurityGroupEgress';
  const rule = (group: string, r: any): Ingress => {
    const peerGroup = refOf(direction === 'ingress' ? r.SourceSecurityGroupId : r.DestinationSecurityGroupId);
    const ports = r.IpProtocol === '-1' ? ALL_PORTS : { fromPort: r.FromPort, toPort: r.ToPort };
    return {
      group,
      source: peerGroup ?? r.CidrIp ?? r.CidrIpv6 ?? r.SourcePrefixListId ?? r.DestinationPrefixListId ?? 'unknown',
      sourceIsGroup: peerGroup !== undefined,
      protocol: r.IpProtocol,
      ...ports,
    };
  };
  const out: Ingress[] = [];
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type === 'AWS::EC2::SecurityGroup') {
      out.push(...(r.Properties?.[inlineKey] ?? []).map((x: any) => rule(id, x)));
    } else if (r.Type === standalone) {
      out.push(rule(refOf(r.Properties?.GroupId)!, r.Properties));
    }
  }
  return out;
}

const covers = (r: Ingress, port: number) => (r.protocol === 'tcp' || r.protocol === '-1') && r.fromPort <= port && port <= r.toPort;

/** Whether the `from` group may send to, and the `to` group admits, TCP on `port`. */
function allowed(ingress: Ingress[], egress: Ingress[], from: string[], to: string[], port: number): boolean {
  const out = egress.some(e => from.includes(e.group) && covers(e, port) && ((e.sourceIsGroup && to.includes(e.source)) || e.source === '0.0.0.0/0'));
  const inn = ingress.some(i => to.includes(i.group) && covers(i, port) && i.sourceIsGroup && from.includes(i.source));
  return out && inn;
}

export function analyze(template: Template): Reachability {
  const resources = template.Resources;
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const groupsOf = (r: Resource, key = 'SecurityGroups'): string[] => (r.Properties?.[key] ?? []).map(refOf);
  const ingress = rulesOf(template, 'ingress');
  const egress = rulesOf(template, 'egress');
  const roles: Record<string, string> = {};
  const paths: string[] = [];
  const blocked: string[] = [];
  const healthChecks: string[] = [];
  const intendedPorts: Record<string, number[]> = {};
  const intend = (groups: string[], port: number) => groups.forEach(g => intendedPorts[g] = [...(intendedPorts[g] ?? []), port]);

  const forwardsTo = (action: any): string[] => [
    refOf(action.TargetGroupArn),
    ...(action.ForwardConfig?.TargetGroups ?? []).map((t: any) => refOf(t.TargetGroupArn)),
  ].filter((x): x is string => !!x);
  const listenersOf = (lb: string) => ofType('AWS::ElasticLoadBalancingV2::Listener').filter(([, l]) => refOf(l.Properties?.LoadBalancerArn) === lb);
  const targetGroupsOf = (listener: string, l: Resource) => [
    ...(l.Properties?.DefaultActions ?? []).flatMap(forwardsTo),
    ...ofType('AWS::ElasticLoadBalancingV2::ListenerRule')
      .filter(([, rule]) => refOf(rule.Properties?.ListenerArn) === listener)
      .flatMap(([, rule]) => (rule.Properties?.Actions ?? []).flatMap(forwardsTo)),
  ];

  let nlbEnforcesInboundRules = false;
  for (const [, service] of ofType('AWS::EC2::VPCEndpointService')) {
    for (const nlb of (service.Properties?.NetworkLoadBalancerArns ?? []).map(refOf)) {
      const nlbResource = resources[nlb];
      const nlbGroups = groupsOf(nlbResource);
      nlbGroups.forEach(g => roles[g] = 'NLB');
      nlbEnforcesInboundRules ||= (nlbResource.Properties?.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic ?? 'on') !== 'off';
      for (const [, nlbListener] of listenersOf(nlb)) {
        const nlbHop = `endpoint service -> NLB ${nlbListener.Properties?.Protocol} ${nlbListener.Properties?.Port}`;
        const nlbTargetGroups: string[] = (nlbListener.Properties?.DefaultActions ?? []).flatMap(forwardsTo);
        for (const albTg of nlbTargetGroups.map(id => resources[id])) {
          if (albTg.Properties?.TargetType !== 'alb') {
            continue;
          }
          for (const target of albTg.Properties?.Targets ?? []) {
            const alb = refOf(target.Id)!;
            const albGroups = groupsOf(resources[alb]);
            albGroups.forEach(g => roles[g] = 'ALB');
            intend(albGroups, target.Port);
            const healthCheckPort = Number(albTg.Properties?.HealthCheckPort ?? target.Port);
            if (healthCheckPort !== target.Port) {
              intend(albGroups, healthCheckPort);
            }
            const [, checked] = listenersOf(alb).find(([, l]) => l.Properties?.Port === healthCheckPort) ?? [];
            healthChecks.push([
              `NLB ${albTg.Properties?.HealthCheckProtocol} ${healthCheckPort} ${albTg.Properties?.HealthCheckPath} ->`,
              checked ? `ALB ${checked.Properties?.Protocol} ${healthCheckPort}` : 'no ALB listener',
              ...(allowed(ingress, egress, nlbGroups, albGroups, healthCheckPort) ? [] : ['(blocked)']),
              ...(checked?.Properties?.MutualAuthentication?.Mode === 'verify' ? ['(client certificate required)'] : []),
            ].join(' '));
            for (const [albListenerId, albListener] of listenersOf(alb).filter(([, l]) => l.Properties?.Port === target.Port)) {
              const albHop = `${nlbHop} -> ALB ${albListener.Properties?.Protocol} ${albListener.Properties?.Port}`;
              const nlbToAlb = allowed(ingress, egress, nlbGroups, albGroups, target.Port);
              for (const tg of new Set(targetGroupsOf(albListenerId, albListener))) {
                for (const [serviceId, ecsService] of ofType('AWS::ECS::Service')) {
                  const taskGroups: string[] = (ecsService.Properties?.NetworkConfiguration?.AwsvpcConfiguration?.SecurityGroups ?? []).map(refOf);
                  for (const lb of (ecsService.Properties?.LoadBalancers ?? []).filter((x: any) => refOf(x.TargetGroupArn) === tg)) {
                    taskGroups.forEach(g => roles[g] = `tasks:${serviceId}`);
                    intend(taskGroups, lb.ContainerPort);
                    const path = `${albHop} -> ${serviceId} ${lb.ContainerPort}`;
                    const open = nlbToAlb && allowed(ingress, egress, albGroups, taskGroups, lb.ContainerPort);
                    (open ? paths : blocked).push(path);
                  }
                }
              }
            }
          }
        }
      }
    }
  }
  return { paths: paths.sort(), blocked: blocked.sort(), healthChecks: healthChecks.sort(), roles, ingress, intendedPorts, nlbEnforcesInboundRules };
}

/**
 * Everything open beyond the intended path: any rule from 0.0.0.0/0 or ::/0, any CIDR or
 * prefix-list rule into the ALB or the tasks, an ALB admitting anything but the NLB, tasks
 * admitting anything but the ALB, and NLB inbound rules while they filter PrivateLink traffic.
 * Also an NLB health check that can only fail (the NLB then fails open): one the security
 * groups drop, or one that reaches a listener requiring a client certificate.
 */
export function violations(r: Reachability): string[] {
  const out: string[] = [];
  for (const check of r.healthChecks.filter(c => /\((blocked|client certificate required)\)|no ALB listener/.test(c))) {
    out.push(`the NLB's health check can only fail: ${check}`);
  }
  const describe = (i: Ingress) => `${r.roles[i.group] ?? i.group} admits ${r.roles[i.source] ?? i.source} on ${i.protocol}/${i.fromPort}-${i.toPort}`;
  const onIntendedPort = (i: Ingress) =>
    i.protocol === 'tcp' && i.fromPort === i.toPort && (r.intendedPorts[i.group] ?? []).includes(i.fromPort);
  for (const i of r.ingress) {
    const role = r.roles[i.group];
    if (i.source === '0.0.0.0/0' || i.source === '::/0') {
      out.push(`open to the internet: ${describe(i)}`);
    } else if (role === 'ALB' && (r.roles[i.source] !== 'NLB' || !onIntendedPort(i))) {
      out.push(`the ALB is reachable from outside the path: ${describe(i)}`);
    } else if (role?.startsWith('tasks:') && (r.roles[i.source] !== 'ALB' || !onIntendedPort(i))) {
      out.push(`tasks are reachable from outside the path: ${describe(i)}`);
    } else if (role === 'NLB' && r.nlbEnforcesInboundRules === false && !i.sourceIsGroup) {
      // Not enforced for PrivateLink traffic, but it opens the NLB to VPC-internal clients.
      out.push(`the NLB admits a CIDR besides PrivateLink: ${describe(i)}`);
    }
  }
  return out;
}
