/**
 * A language-neutral fingerprint of a synthesized CDK app: stack names, resource counts by type,
 * and the properties that decide whether the PrivateLink path works (ports, target types,
 * acceptance, principals, security-group rules). Two apps with equal fingerprints deploy the
 * same topology, whatever language wrote them.
 */
import { readFileSync } from 'fs';
import * as path from 'path';

type Resource = { Type: string; Properties?: Record<string, any>; Metadata?: Record<string, any> };
type Template = { Resources: Record<string, Resource> };
export type Fingerprint = Record<string, Record<string, unknown>>;

/** Reads every stack template of a cloud assembly directory. */
export function readAssembly(dir: string): Record<string, Template> {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const stacks: Record<string, Template> = {};
  for (const [id, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact.type === 'aws:cloudformation:stack') {
      stacks[artifact.displayName ?? id] = JSON.parse(readFileSync(path.join(dir, artifact.properties.templateFile), 'utf8'));
    }
  }
  return stacks;
}

export function fingerprint(stacks: Record<string, Template>): Fingerprint {
  const result: Fingerprint = {};
  for (const [name, template] of Object.entries(stacks)) {
    const resources = template.Resources ?? {};
    const of = (type: string) => Object.values(resources).filter(r => r.Type === type).map(r => r.Properties ?? {});
    // Security groups are named by their description, so rules compare across languages
    // even if logical IDs differed.
    const sgName = (ref: any): string => {
      const id = ref?.['Fn::GetAtt']?.[0] ?? ref?.Ref;
      return resources[id]?.Properties?.GroupDescription ?? JSON.stringify(ref);
    };
    const rule = (group: string, r: any, direction: 'from' | 'to') =>
      `${group} ${direction} ${r.CidrIp ?? r.CidrIpv6 ?? r.SourcePrefixListId ?? r.DestinationPrefixListId ??
        sgName(r.SourceSecurityGroupId ?? r.DestinationSecurityGroupId)} ${r.IpProtocol}/${r.FromPort ?? ''}-${r.ToPort ?? ''}`;
    const sorted = (xs: unknown[]) => [...xs].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

    const counts: Record<string, number> = {};
    for (const r of Object.values(resources)) {
      counts[r.Type] = (counts[r.Type] ?? 0) + 1;
    }
    const ingress = [
      ...of('AWS::EC2::SecurityGroupIngress').map(r => rule(sgName(r.GroupId), r, 'from')),
      ...of('AWS::EC2::SecurityGroup').flatMap(sg => (sg.SecurityGroupIngress ?? []).map((r: any) => rule(sg.GroupDescription, r, 'from'))),
    ];
    const egress = [
      ...of('AWS::EC2::SecurityGroupEgress').map(r => rule(sgName(r.GroupId), r, 'to')),
      ...of('AWS::EC2::SecurityGroup').flatMap(sg => (sg.SecurityGroupEgress ?? []).map((r: any) => rule(sg.GroupDescription, r, 'to'))),
    ];
    result[name] = {
      'resource counts': counts,
      'listeners (protocol, port)': sorted(of('AWS::ElasticLoadBalancingV2::Listener').map(l => [l.Protocol, l.Port])),
      'target groups (type, protocol, port, health check)': sorted(of('AWS::ElasticLoadBalancingV2::TargetGroup')
        .map(t => [t.TargetType, t.Protocol, t.Port, t.HealthCheckProtocol ?? 'HTTP', t.HealthCheckPath, t.Matcher])),
      'load balancers (type, scheme)': sorted(of('AWS::ElasticLoadBalancingV2::LoadBalancer').map(l => [l.Type, l.Scheme])),
      'endpoint services (acceptance required)': sorted(of('AWS::EC2::VPCEndpointService').map(s => s.AcceptanceRequired)),
      'allowed principals': sorted(of('AWS::EC2::VPCEndpointServicePermissions').map(p => p.AllowedPrincipals)),
      'endpoints (type, private DNS)': sorted(of('AWS::EC2::VPCEndpoint').map(e => [e.VpcEndpointType, e.PrivateDnsEnabled])),
      'task definitions (cpu, memory, image, ports)': sorted(of('AWS::ECS::TaskDefinition').map(t => [t.Cpu, t.Memory,
        (t.ContainerDefinitions ?? []).map((c: any) => [c.Image, (c.PortMappings ?? []).map((p: any) => p.ContainerPort)])])),
      'services (desired count, deployment)': sorted(of('AWS::ECS::Service').map(s => [s.DesiredCount, s.DeploymentConfiguration])),
      'functions (runtime, handler)': sorted(of('AWS::Lambda::Function').map(f => [f.Runtime, f.Handler])),
      'log groups (retention, encrypted)': sorted(of('AWS::Logs::LogGroup').map(l => [l.RetentionInDays, l.KmsKeyId !== undefined])),
      'subnets (public IP on launch)': sorted(of('AWS::EC2::Subnet').map(s => s.MapPublicIpOnLaunch ?? false)),
      // The acknowledgements are the app's compliance decisions: each language must make the same.
      'cdk-nag acknowledgements (resource, rule)': sorted(Object.entries(resources).flatMap(([id, r]) =>
        (r.Metadata?.cdk_nag?.rules_to_suppress ?? []).map((a: { id: string }) => `${id} ${a.id}`))),
      'security-group ingress': ingress.sort(),
      'security-group egress': egress.sort(),
    };
  }
  return result;
}

/** Human-readable differences between two fingerprints; empty when they match. */
export function differences(expected: Fingerprint, actual: Fingerprint, label: string): string[] {
  const out: string[] = [];
  const names = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  for (const stack of [...names].sort()) {
    if (!expected[stack] || !actual[stack]) {
      out.push(`${label}: stack ${stack} is ${expected[stack] ? 'missing' : 'unexpected'}`);
      continue;
    }
    for (const key of Object.keys(expected[stack])) {
      const want = JSON.stringify(expected[stack][key], null, 1);
      const got = JSON.stringify(actual[stack][key], null, 1);
      if (want !== got) {
        out.push(`${label}: ${stack} › ${key}\n  typescript: ${JSON.stringify(expected[stack][key])}\n  ${label}: ${JSON.stringify(actual[stack][key])}`);
      }
    }
  }
  return out;
}
