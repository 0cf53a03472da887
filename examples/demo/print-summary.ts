// Prints what `npm run demo` synthesized into examples/demo/cdk.out, read from the cloud
// assembly itself (so the summary stays true when the demo changes), and the commands to
// deploy, test and destroy it.
import { readFileSync } from 'fs';
import * as path from 'path';

type Resource = { Type: string; Properties?: Record<string, any>; Metadata?: Record<string, any> };
type Template = { Resources: Record<string, Resource>; Outputs?: Record<string, { Description?: string }> };

const outdir = path.resolve(process.argv[2] ?? path.join(__dirname, 'cdk.out'));
const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
const stacks = Object.entries<any>(manifest.artifacts)
  .filter(([, a]) => a.type === 'aws:cloudformation:stack')
  .map(([id, a]) => ({
    name: a.displayName ?? id,
    template: JSON.parse(readFileSync(path.join(outdir, a.properties.templateFile), 'utf8')) as Template,
  }));

/** Readable names for the resources a newcomer cares about. */
const NAMES: Record<string, string> = {
  'AWS::EC2::VPC': 'VPC',
  'AWS::EC2::Subnet': 'subnet',
  'AWS::EC2::NatGateway': 'NAT gateway',
  'AWS::ECS::Cluster': 'ECS cluster',
  'AWS::ECS::Service': 'Fargate service',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'load balancer',
  'AWS::EC2::VPCEndpointService': 'VPC endpoint service',
  'AWS::EC2::VPCEndpoint': 'interface VPC endpoint',
  'AWS::EC2::SecurityGroup': 'security group',
  'AWS::Lambda::Function': 'Lambda function',
  'AWS::CloudWatch::Alarm': 'alarm',
  'AWS::CloudWatch::Dashboard': 'dashboard',
  'AWS::Events::Rule': 'schedule',
  'AWS::SNS::Topic': 'SNS topic',
};

const line = (text = '') => console.log(text);
const resourcesOf = (t: Template, type: string) => Object.values(t.Resources).filter(r => r.Type === type);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function describe(t: Template): string[] {
  const facts: string[] = [];
  for (const td of resourcesOf(t, 'AWS::ECS::TaskDefinition')) {
    for (const c of td.Properties?.ContainerDefinitions ?? []) {
      const service = resourcesOf(t, 'AWS::ECS::Service')[0]?.Properties;
      facts.push(`Fargate: ${service?.DesiredCount ?? '?'} tasks of ${c.Image} (${td.Properties?.Cpu} CPU / ${td.Properties?.Memory} MiB), container port ${c.PortMappings?.[0]?.ContainerPort}`);
    }
  }
  for (const lb of resourcesOf(t, 'AWS::ElasticLoadBalancingV2::LoadBalancer')) {
    const kind = lb.Properties?.Type === 'network' ? 'NLB' : 'ALB';
    const listeners = resourcesOf(t, 'AWS::ElasticLoadBalancingV2::Listener')
      .filter(l => l.Properties?.Protocol === (kind === 'NLB' ? 'TCP' : 'HTTP') || l.Properties?.Protocol === (kind === 'NLB' ? 'TLS' : 'HTTPS'))
      .map(l => `${l.Properties?.Protocol} ${l.Properties?.Port}`);
    facts.push(`${lb.Properties?.Scheme} ${kind}, listener ${listeners.join(', ')}`);
  }
  for (const tg of resourcesOf(t, 'AWS::ElasticLoadBalancingV2::TargetGroup')) {
    if (tg.Properties?.TargetType === 'alb') {
      facts.push(`NLB target group of type alb on port ${tg.Properties?.Port} (the ALB listener), health check ${tg.Properties?.HealthCheckProtocol} ${tg.Properties?.HealthCheckPath}`);
    }
  }
  for (const es of resourcesOf(t, 'AWS::EC2::VPCEndpointService')) {
    const permissions = resourcesOf(t, 'AWS::EC2::VPCEndpointServicePermissions')[0]?.Properties?.AllowedPrincipals ?? [];
    facts.push(`VPC endpoint service: acceptance required ${es.Properties?.AcceptanceRequired}, ${plural(permissions.length, 'allowed principal')}`);
  }
  for (const ep of resourcesOf(t, 'AWS::EC2::VPCEndpoint')) {
    facts.push(`interface endpoint to the provider's service, private DNS ${ep.Properties?.PrivateDnsEnabled ? 'on' : 'off'}, in ${plural(ep.Properties?.SubnetIds?.length ?? 0, 'subnet')}`);
  }
  for (const fn of resourcesOf(t, 'AWS::Lambda::Function')) {
    const description: string = fn.Properties?.Description ?? '';
    if (/through PrivateLink/.test(description)) {
      facts.push(`canary: a probe function (${fn.Properties?.Runtime}) in the VPC, calling the API through the endpoint`);
    } else if (/accepts connection requests/.test(description)) {
      facts.push(`connection acceptor (${fn.Properties?.Runtime}): accepts the listed accounts' endpoints, on each connection notification`);
    }
  }
  for (const rule of resourcesOf(t, 'AWS::Events::Rule')) {
    facts.push(`the probe runs on ${rule.Properties?.ScheduleExpression}, publishing Success and Latency (embedded metric format)`);
  }
  for (const alarm of resourcesOf(t, 'AWS::CloudWatch::Alarm')) {
    facts.push(`alarm ${nameOf(alarm)}: ${alarmRule(alarm)}`);
  }
  for (const dashboard of resourcesOf(t, 'AWS::CloudWatch::Dashboard')) {
    facts.push(`dashboard ${nameOf(dashboard)}: the endpoint service, the NLB's view of the ALB, the ALB and each service`);
  }
  return facts;
}

/** A resource's construct path below its stack, without the trailing `/Resource`. */
function nameOf(r: Resource): string {
  return String(r.Metadata?.['aws:cdk:path'] ?? '?').split('/').slice(1).filter(p => p !== 'Resource').join('/');
}

const COMPARISONS: Record<string, string> = {
  GreaterThanThreshold: '>', GreaterThanOrEqualToThreshold: '>=', LessThanThreshold: '<', LessThanOrEqualToThreshold: '<=',
};

/** For an expression over one metric in several dimension sets (e.g. per AZ): which dimensions vary. */
function oneMetricPer(p: any): string {
  const stats = (p.Metrics ?? []).filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat);
  const names = new Set(stats.map((m: any) => `${m.Metric.Namespace} ${m.Metric.MetricName}`));
  if (names.size !== 1) {
    return '';
  }
  const value = (stat: any, name: string) => JSON.stringify(stat.Metric.Dimensions.find((d: any) => d.Name === name)?.Value);
  const varying = stats[0].Metric.Dimensions.map((d: any) => d.Name)
    .filter((n: string) => stats.some((o: any) => value(o, n) !== value(stats[0], n)));
  return ` (${stats[0].Stat} of ${[...names][0]}, one per ${varying.join(', ') || 'dimension set'})`;
}

/** What an alarm watches, in one line: metric, threshold, window, missing data. */
function alarmRule(alarm: Resource): string {
  const p = alarm.Properties ?? {};
  const expression = (p.Metrics ?? []).find((m: any) => m.Expression)?.Expression ?? 'a metric expression';
  const metric = p.MetricName ? `${p.ExtendedStatistic ?? p.Statistic} of ${p.Namespace} ${p.MetricName}` : `${expression}${oneMetricPer(p)}`;
  const period = p.Period ?? (p.Metrics ?? []).find((m: any) => m.MetricStat)?.MetricStat?.Period;
  return `${metric} ${COMPARISONS[p.ComparisonOperator] ?? p.ComparisonOperator} ${p.Threshold} in ` +
    `${p.DatapointsToAlarm ?? p.EvaluationPeriods} of ${p.EvaluationPeriods} periods of ${period} s; missing data: ${p.TreatMissingData}`;
}

line(`cdk-ecs-privatelink demo: ${plural(stacks.length, 'stack')} synthesized into ${path.relative(process.cwd(), outdir) || '.'} (no AWS account used)`);
line('  consumer VPC -> interface endpoint -> PrivateLink -> endpoint service -> NLB (TCP) -> ALB (HTTP) -> Fargate tasks');
for (const { name, template } of stacks) {
  const counts = new Map<string, number>();
  for (const r of Object.values(template.Resources)) {
    counts.set(r.Type, (counts.get(r.Type) ?? 0) + 1);
  }
  line();
  line(`${name} (${plural(Object.keys(template.Resources).length, 'resource')})`);
  for (const fact of describe(template)) {
    line(`  - ${fact}`);
  }
  const notable = [...counts].filter(([type]) => NAMES[type]).map(([type, n]) => plural(n, NAMES[type]));
  line(`  contains: ${notable.join(', ')}`);
  for (const [id, output] of Object.entries(template.Outputs ?? {})) {
    if (!id.startsWith('ExportsOutput')) {
      line(`  output ${id}: ${output.Description ?? ''}`);
    }
  }
}
line();
line('Next steps (need an AWS account with a bootstrapped environment: npx cdk bootstrap):');
line('  deploy:  cd examples/demo && npx cdk deploy --all');
line('           (the consumer\'s endpoint is accepted automatically: same account, autoAcceptAccounts)');
line('  alarms:  aws sns subscribe --protocol email --notification-endpoint <you> --topic-arn <AlarmTopicArn output of PrivateLinkDemo-Provider>');
line('  test:    run the TestCommand output of PrivateLinkDemo-Consumer; it prints');
line('           {"id": 2, "name": "task2", "description": "This is task 2"} fetched through PrivateLink');
line('  canary:  the same function runs every 5 minutes; invoke it with --payload \'{}\' for one run now, and see');
line('           the PrivateLinkProbe metrics (Success, Latency) and the DashboardName output in CloudWatch');
line('  destroy: cd examples/demo && npx cdk destroy --all   (the consumer first, then the provider)');
