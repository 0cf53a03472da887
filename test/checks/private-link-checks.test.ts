/**
 * PrivateLinkChecks: each rule flags a hand-written L2 setup; the library's defaults pass the
 * rules about what it guarantees, and pass them all once its user makes the choices.
 */
import { Annotations as CoreAnnotations, App, Aspects, Aws, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EcsPrivateLinkApi, PrivateLinkChecks, PrivateLinkConsumer } from '../../src';
import { FLAG_SETTINGS, IMAGE, NLB_SG_FLAG } from '../helpers';

/** The checks' findings in a stack, as `<path below the stack> <rule>`. */
function findings(stack: Stack, errors = false): string[] {
  const annotations = Annotations.fromStack(stack);
  const found = errors ? annotations.findError('*', Match.anyValue()) : annotations.findWarning('*', Match.anyValue());
  return found.map(m => `${m.id.replace(/^\/[^/]+\//, '')} ${/cdk-ecs-privatelink-checks:(\w+)/.exec(String(m.entry.data))?.[1]}`)
    .filter(f => !f.endsWith(' undefined')).sort();
}

/**
 * A PrivateLink setup written by hand with aws-cdk-lib's L2s, the way the blog post builds it:
 * an NLB without a security group, an alb-type target group with a timeout and a matcher, an
 * HTTP ALB listener, `*` without acceptance, no notifications, and a consumer endpoint with
 * private DNS to this service, which has no private DNS name.
 */
function handWritten(stack: Stack): void {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc });
  const albListener = alb.addListener('Http', { port: 80, open: false, defaultAction: elbv2.ListenerAction.fixedResponse(200) });
  const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc, securityGroups: [] });
  nlb.addListener('Tcp', {
    port: 80,
    defaultTargetGroups: [new elbv2.NetworkTargetGroup(stack, 'AlbTarget', {
      vpc,
      port: 80,
      protocol: elbv2.Protocol.TCP,
      targets: [new targets.AlbListenerTarget(albListener)],
      healthCheck: { protocol: elbv2.Protocol.HTTP, path: '/', timeout: undefined, healthyHttpCodes: '200' },
    })],
  });
  const service = new ec2.VpcEndpointService(stack, 'Service', {
    vpcEndpointServiceLoadBalancers: [nlb],
    acceptanceRequired: false,
    allowedPrincipals: [new iam.ArnPrincipal('*')],
  });
  new ec2.InterfaceVpcEndpoint(stack, 'Endpoint', {
    vpc,
    service: new ec2.InterfaceVpcEndpointService(`com.amazonaws.vpce.${Aws.REGION}.${service.vpcEndpointServiceId}`, 80),
    privateDnsEnabled: true,
  });
}

describe.each(FLAG_SETTINGS)('PrivateLinkChecks with $name', ({ context }) => {
  function checked(build: (stack: Stack) => void, checks = new PrivateLinkChecks()): Stack {
    const app = new App({ context: { ...context, [NLB_SG_FLAG]: false, '@aws-cdk/core:annotationsInValidationReport': false } });
    const stack = new Stack(app, 'Test');
    build(stack);
    Aspects.of(app).add(checks);
    app.synth();
    return stack;
  }

  test('a hand-written setup: every rule fires, each on the resource it is about', () => {
    expect(findings(checked(handWritten))).toEqual([
      'Alb/Http/Resource HttpBehindEndpointService',
      'AlbTarget/Resource AlbTargetGroupHealthCheck',
      'Endpoint/Resource PrivateDnsWithoutName',
      'Nlb/Resource NlbWithoutSecurityGroup',
      'Service/Service NoConnectionNotifications',
      'Service/Service OpenToEveryAccount',
    ]);
  });

  test('an endpoint service nobody may connect to: NoAllowedPrincipals', () => {
    const stack = checked(s => {
      const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 2 });
      new ec2.VpcEndpointService(s, 'Service', { vpcEndpointServiceLoadBalancers: [new elbv2.NetworkLoadBalancer(s, 'Nlb', { vpc })] });
    });
    expect(findings(stack)).toContain('Service/Service NoAllowedPrincipals');
  });

  test('the library\'s defaults pass what it guarantees; what stays is its user\'s to choose', () => {
    const stack = checked(s => new EcsPrivateLinkApi(s, 'Api', { image: IMAGE }));
    expect(findings(stack)).toEqual([
      'Api/EndpointService/EndpointService NoAllowedPrincipals',
      'Api/EndpointService/EndpointService NoConnectionNotifications',
      'Api/LoadBalancer/Listener/Resource HttpBehindEndpointService',
    ]);
  });

  test('the library with those choices made (principals, notifications, HTTPS) and a same-app consumer: no finding', () => {
    const stack = checked(s => {
      const api = new EcsPrivateLinkApi(s, 'Api', {
        image: IMAGE,
        certificate: acm.Certificate.fromCertificateArn(s, 'Cert', 'arn:aws:acm:eu-west-1:111122223333:certificate/abc'),
        privateDnsName: 'api.example.com',
        allowedPrincipals: [Aws.ACCOUNT_ID],
        connectionNotifications: true,
      });
      new PrivateLinkConsumer(s, 'Consumer', { vpc: new ec2.Vpc(s, 'ConsumerVpc', { maxAzs: 2 }), api, privateDnsEnabled: true });
    });
    expect(findings(stack)).toEqual([]);
  });

  test('a finding can be acknowledged by its ID', () => {
    const stack = checked(s => {
      handWritten(s);
      CoreAnnotations.of(s).acknowledgeWarning('cdk-ecs-privatelink-checks:NoConnectionNotifications', 'the team watches the console');
    });
    expect(findings(stack)).not.toContain('Service/Service NoConnectionNotifications');
  });

  test('reportAsErrors: findings are errors', () => {
    const stack = checked(handWritten, new PrivateLinkChecks({ reportAsErrors: true }));
    expect(findings(stack, true)).toContain('Nlb/Resource NlbWithoutSecurityGroup');
  });
});
