import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

export const ACCOUNT_ID = /^\d{12}$/;
export const IAM_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+)$/;

/** Turns the validated strings into the ARN principals an endpoint service takes. */
export function toArnPrincipals(principals: string[] | undefined): iam.ArnPrincipal[] {
  return (principals ?? []).map(p => {
    const isAccount = p === Aws.ACCOUNT_ID || ACCOUNT_ID.test(p);
    return new iam.ArnPrincipal(isAccount ? `arn:${Aws.PARTITION}:iam::${p}:root` : p);
  });
}
