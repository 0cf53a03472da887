import { Aws, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Validator } from '../common';

const ACCOUNT_ID = /^\d{12}$/;
const IAM_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+)$/;

/** Checks allowed principals: 12-digit account IDs, IAM ARNs, `*`, or tokens. */
export function validatePrincipals(v: Validator, principals: string[] | undefined): void {
  for (const p of principals ?? []) {
    if (Token.isUnresolved(p) || p === '*') {
      continue;
    }
    v.check(ACCOUNT_ID.test(p) || IAM_ARN.test(p), 'allowedPrincipals', p,
      'each must be a 12-digit AWS account ID, an IAM ARN (arn:aws:iam::123456789012:root, :role/name or :user/name) or *');
  }
}

/** Turns the validated strings into the ARN principals an endpoint service takes. */
export function toArnPrincipals(principals: string[] | undefined): iam.ArnPrincipal[] {
  return (principals ?? []).map(p => {
    const isAccount = p === Aws.ACCOUNT_ID || ACCOUNT_ID.test(p);
    return new iam.ArnPrincipal(isAccount ? `arn:${Aws.PARTITION}:iam::${p}:root` : p);
  });
}
