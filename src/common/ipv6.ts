import * as ec2 from 'aws-cdk-lib/aws-ec2';

/** Which of some subnets are known to lack an IPv6 CIDR, and which can't be known here. */
export interface Ipv6Support {
  /** Subnets built in this app without an IPv6 CIDR. */
  readonly without: ec2.ISubnet[];
  /** Imported subnets: whether they have an IPv6 CIDR is only known at deploy time. */
  readonly unknown: ec2.ISubnet[];
}

/**
 * Where dual-stack load balancers and IPv6 endpoints may go: AWS needs an IPv6 CIDR on each
 * subnet ("You must associate an IPv6 CIDR block with the subnets", ELB dual-stack and
 * PrivateLink IP address types:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-ip-address-type.html,
 * https://docs.aws.amazon.com/vpc/latest/privatelink/create-endpoint-service.html#ip-address-types).
 */
export function ipv6Support(subnets: ec2.ISubnet[]): Ipv6Support {
  const without: ec2.ISubnet[] = [];
  const unknown: ec2.ISubnet[] = [];
  for (const subnet of subnets) {
    const cfn = subnet.node.defaultChild;
    if (!(cfn instanceof ec2.CfnSubnet)) {
      unknown.push(subnet);
    } else if (cfn.ipv6CidrBlock === undefined && !cfn.ipv6Native && cfn.ipv6IpamPoolId === undefined) {
      without.push(subnet);
    }
  }
  return { without, unknown };
}
