import { Annotations, CfnResource, type IAspect, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { IConstruct } from 'constructs';
import { albTargetGroupFieldsAwsLeavesAlone } from './rules';

/** Properties of `PrivateLinkChecks`. */
export interface PrivateLinkChecksProps {
  /**
   * Report findings as errors (the synthesis fails) instead of warnings.
   *
   * @default false
   */
  readonly reportAsErrors?: boolean;
}

/** The prefix of every finding's ID: acknowledge one with `Annotations.of(scope).acknowledgeWarning(id, reason)`. */
const PREFIX = 'cdk-ecs-privatelink-checks:';

/**
 * A rule pack for any app with PrivateLink: checks every endpoint service, NLB, target group
 * and interface endpoint, whether this library built them or not.
 *
 * | ID | Finding |
 * | -- | ------- |
 * | `OpenToEveryAccount` | acceptance off while `*` may connect |
 * | `NoAllowedPrincipals` | nobody may connect |
 * | `NlbWithoutSecurityGroup` | an endpoint service's NLB without a security group (one can't be added later) |
 * | `AlbTargetGroupHealthCheck` | an alb-type target group with health-check settings AWS leaves to its defaults |
 * | `HttpBehindEndpointService` | plain HTTP at the ALB an endpoint service forwards to |
 * | `PrivateDnsWithoutName` | an endpoint with private DNS to a service of the app that has no private DNS name |
 * | `NoConnectionNotifications` | an endpoint service that notifies nobody of connection requests |
 *
 * Findings are warnings with the IDs above (prefixed `cdk-ecs-privatelink-checks:`), on the
 * resource they are about.
 *
 * @example
 * declare const app: App;
 *
 * Aspects.of(app).add(new PrivateLinkChecks());
 */
export class PrivateLinkChecks implements IAspect {
  private readonly reportAsErrors: boolean;

  constructor(props: PrivateLinkChecksProps = {}) {
    this.reportAsErrors = props.reportAsErrors ?? false;
  }

  public visit(node: IConstruct): void {
    if (!Stack.isStack(node)) {
      return;
    }
    const resources = node.node.findAll().filter(CfnResource.isCfnResource).filter(r => Stack.of(r) === node);
    const view = new StackView(node, resources);
    for (const service of resources.filter((r): r is ec2.CfnVPCEndpointService => r instanceof ec2.CfnVPCEndpointService)) {
      this.checkEndpointService(view, service);
    }
    for (const tg of resources.filter((r): r is elbv2.CfnTargetGroup => r instanceof elbv2.CfnTargetGroup)) {
      const fields = albTargetGroupFieldsAwsLeavesAlone(view.resolve(tg.targetType), {
        HealthCheckTimeoutSeconds: view.resolve(tg.healthCheckTimeoutSeconds),
        Matcher: view.resolve(tg.matcher),
        TargetGroupAttributes: view.resolve(tg.targetGroupAttributes),
      });
      if (fields.length > 0) {
        this.report(tg, 'AlbTargetGroupHealthCheck', `The target group of type alb sets ${fields.join(', ')}: AWS's PrivateLink ` +
          'sample and guide leave them to AWS on alb-type target groups, whose settings can\'t be changed afterwards; set only ' +
          'the health check\'s protocol, path, port and interval (the default matcher, 200-399, covers redirects). ' +
          'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/application-load-balancer-target.html');
      }
    }
    for (const endpoint of resources.filter((r): r is ec2.CfnVPCEndpoint => r instanceof ec2.CfnVPCEndpoint)) {
      this.checkEndpoint(view, endpoint);
    }
  }

  private checkEndpointService(view: StackView, service: ec2.CfnVPCEndpointService): void {
    const id = view.logicalId(service);
    const permissions = view.resources.filter((r): r is ec2.CfnVPCEndpointServicePermissions =>
      r instanceof ec2.CfnVPCEndpointServicePermissions && view.refersTo(r.serviceId, id));
    const principals = permissions.flatMap(p => view.resolve(p.allowedPrincipals) ?? []);
    if (principals.length === 0) {
      this.report(service, 'NoAllowedPrincipals', 'No principal may create endpoints to this endpoint service: name the accounts or ' +
        'roles of your consumers (VpcEndpointService allowedPrincipals, or EcsPrivateLinkApi allowedPrincipals).');
    }
    if (view.resolve(service.acceptanceRequired) === false && principals.some(p => p === '*')) {
      this.report(service, 'OpenToEveryAccount', 'Acceptance is off and * may connect: any AWS account can reach this service ' +
        'without your approval. Name the accounts, or require acceptance. ' +
        'https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html');
    }
    if (!view.resources.some(r => r instanceof ec2.CfnVPCEndpointConnectionNotification && view.refersTo(r.serviceId, id))) {
      this.report(service, 'NoConnectionNotifications', 'Nobody is notified of connection requests to this endpoint service: ' +
        'with acceptance required they wait unseen. Add a connection notification (EcsPrivateLinkApi connectionNotifications).');
    }
    for (const nlbArn of view.resolve(service.networkLoadBalancerArns) ?? []) {
      const nlb = view.byRef(nlbArn);
      if (nlb instanceof elbv2.CfnLoadBalancer) {
        this.checkNetworkLoadBalancer(view, nlb);
      }
    }
  }

  private checkNetworkLoadBalancer(view: StackView, nlb: elbv2.CfnLoadBalancer): void {
    const groups = view.resolve(nlb.securityGroups);
    if (!groups || groups.length === 0) {
      this.report(nlb, 'NlbWithoutSecurityGroup', 'This endpoint service\'s NLB has no security group, and one can only be given ' +
        'when the NLB is created: its traffic to the ALB can\'t be limited, and adding one later replaces the NLB (and the ' +
        'endpoint service\'s name). https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html');
    }
    // The ALB listeners this NLB forwards to, through alb-type target groups.
    const nlbId = view.logicalId(nlb);
    const nlbListeners = view.resources.filter((r): r is elbv2.CfnListener =>
      r instanceof elbv2.CfnListener && view.refersTo(r.loadBalancerArn, nlbId));
    for (const listener of nlbListeners) {
      for (const action of view.resolve(listener.defaultActions) ?? []) {
        const tg = view.byRef(action.targetGroupArn ?? action.TargetGroupArn);
        if (!(tg instanceof elbv2.CfnTargetGroup) || view.resolve(tg.targetType) !== 'alb') {
          continue;
        }
        for (const target of view.resolve(tg.targets) ?? []) {
          const albId = view.idOfRef(target.id ?? target.Id);
          const albListener = view.resources.find((r): r is elbv2.CfnListener => r instanceof elbv2.CfnListener &&
            view.refersTo(r.loadBalancerArn, albId) && view.resolve(r.port) === (target.port ?? target.Port));
          if (albListener && view.resolve(albListener.protocol) === 'HTTP') {
            this.report(albListener, 'HttpBehindEndpointService', 'Consumers of the endpoint service reach this ALB listener ' +
              'with plain HTTP. PrivateLink keeps traffic inside AWS, but nothing authenticates the server or encrypts the ' +
              'requests: listen with HTTPS and a certificate for the service\'s private DNS name.');
          }
        }
      }
    }
  }

  private checkEndpoint(view: StackView, endpoint: ec2.CfnVPCEndpoint): void {
    if (view.resolve(endpoint.privateDnsEnabled) !== true) {
      return;
    }
    const serviceName = JSON.stringify(view.resolve(endpoint.serviceName));
    const service = view.resources.find((r): r is ec2.CfnVPCEndpointService =>
      r instanceof ec2.CfnVPCEndpointService && serviceName.includes(JSON.stringify({ Ref: view.logicalId(r) })));
    if (!service) {
      return; // a service of another stack or account: its private DNS name is not known here
    }
    const id = view.logicalId(service);
    const named = (view.resolve((service as unknown as { privateDnsName?: unknown }).privateDnsName) !== undefined) ||
      view.resources.some(r => r.cfnResourceType === 'Custom::AWS' && JSON.stringify(view.resolve(r)).includes('PrivateDnsName') &&
        JSON.stringify(view.resolve(r)).includes(JSON.stringify({ Ref: id })));
    if (!named) {
      this.report(endpoint, 'PrivateDnsWithoutName', `The endpoint enables private DNS for ${service.node.path}, which has no ` +
        'private DNS name: creating the endpoint fails. Leave privateDnsEnabled off, or give the service a verified name.');
    }
  }

  private report(resource: IConstruct, rule: string, message: string): void {
    const annotations = Annotations.of(resource);
    if (this.reportAsErrors) {
      annotations.addError(`[${PREFIX}${rule}] ${message}`);
    } else {
      annotations.addWarningV2(`${PREFIX}${rule}`, message);
    }
  }
}

/** The resources of one stack, with their references resolved. */
class StackView {
  constructor(private readonly stack: Stack, public readonly resources: CfnResource[]) {}

  public resolve(value: unknown): any {
    if (value instanceof CfnResource) {
      return this.stack.resolve((value as unknown as { _toCloudFormation(): unknown })._toCloudFormation());
    }
    return this.stack.resolve(value);
  }

  public logicalId(resource: CfnResource): string {
    return this.stack.resolve(resource.logicalId);
  }

  /** The logical ID a reference (`{ Ref }`, `{ Fn::GetAtt }`) resolves to. */
  public idOfRef(value: unknown): string | undefined {
    const resolved = this.resolve(value);
    return resolved?.Ref ?? resolved?.['Fn::GetAtt']?.[0];
  }

  public byRef(value: unknown): CfnResource | undefined {
    const id = this.idOfRef(value);
    return id === undefined ? undefined : this.resources.find(r => this.logicalId(r) === id);
  }

  public refersTo(value: unknown, logicalId: string | undefined): boolean {
    return logicalId !== undefined && this.idOfRef(value) === logicalId;
  }
}
