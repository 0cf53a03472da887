/**
 * Regions, accounts and AZ IDs as the consumer sees them: what can be known at synth time
 * about where the consumer and the provider are.
 */
import { Aws, Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

const REGION_IN_SERVICE_NAME = /^com\.amazonaws\.vpce\.([a-z]{2}(?:-[a-z]+)+-\d)\.vpce-svc-/;
const DIRECTION_INITIALS: Record<string, string> = {
  north: 'n',
  south: 's',
  east: 'e',
  west: 'w',
  central: 'c',
  northeast: 'ne',
  northwest: 'nw',
  southeast: 'se',
  southwest: 'sw',
  gov: 'g',
};

/** The region named in an endpoint service name, if it is a literal. */
export function regionOfServiceName(serviceName: string | undefined): string | undefined {
  if (serviceName === undefined || Token.isUnresolved(serviceName)) {
    return undefined;
  }
  return REGION_IN_SERVICE_NAME.exec(serviceName)?.[1];
}

/**
 * The prefix of a region's AZ IDs: the country code, the initials of the direction words and
 * the region's number (`us-east-1` → `use1`, `ap-northeast-1` → `apne1`, `us-gov-west-1` →
 * `usgw1`), as AWS's AZ ID tables list them
 * (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html).
 * Undefined for a region whose words this table doesn't know.
 */
export function azIdPrefix(region: string): string | undefined {
  const parts = region.split('-');
  const number = parts.pop();
  const country = parts.shift();
  const initials = parts.map(p => DIRECTION_INITIALS[p]);
  if (!country || !number || !/^\d+$/.test(number) || initials.some(i => i === undefined)) {
    return undefined;
  }
  return `${country}${initials.join('')}${number}`;
}

/** The concrete region of the stack of `scope`, if it has one. */
export function concreteRegion(scope: IConstruct): string | undefined {
  const region = Stack.of(scope).region;
  return Token.isUnresolved(region) ? undefined : region;
}

/** The concrete account of the stack of `scope`, if it has one. */
export function concreteAccount(scope: IConstruct): string | undefined {
  const account = Stack.of(scope).account;
  return Token.isUnresolved(account) ? undefined : account;
}

/**
 * Whether `principals` (as `allowedPrincipals` takes them) let `account` connect: `*`, the
 * account ID, an ARN in that account, or `Aws.ACCOUNT_ID` for a consumer in the provider's own
 * (environment-agnostic) account. `undefined` when that can't be known.
 */
export function principalsAllowAccount(principals: string[], account: string | undefined): boolean | undefined {
  if (principals.includes('*')) {
    return true;
  }
  if (account === undefined) {
    return principals.includes(Aws.ACCOUNT_ID) ? true : undefined;
  }
  const accounts = principals.filter(p => !Token.isUnresolved(p)).map(p => p.startsWith('arn:') ? p.split(':')[4] : p);
  if (accounts.includes(account)) {
    return true;
  }
  return principals.some(p => Token.isUnresolved(p)) ? undefined : false;
}
