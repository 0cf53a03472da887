/**
 * Rules shared by `PrivateLinkChecks` and the project's deploy-rules gate (test/deploy-rules).
 */

/**
 * The health-check fields a target group of type alb sets that AWS's PrivateLink sample and
 * the ELB guide leave to AWS (their settings can't be changed on alb-type target groups).
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/network/application-load-balancer-target.html
 */
export function albTargetGroupFieldsAwsLeavesAlone(targetType: unknown, fields: Record<string, unknown>): string[] {
  if (targetType !== 'alb') {
    return [];
  }
  return Object.entries(fields).filter(([, value]) => value !== undefined).map(([name]) => name);
}
