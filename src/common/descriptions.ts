import { Token } from 'aws-cdk-lib';

/**
 * Characters EC2 accepts in a security group's description (`GroupDescription`) and in a
 * rule's description: a-z, A-Z, 0-9, spaces and `._-:/()#,@[]+=;{}!$*` (the rule description
 * allows no `&`, so neither do we). Both are at most 255 characters.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html
 */
const NOT_ALLOWED = /[^a-zA-Z0-9 ._\-:/()#,@[\]+=;{}!$*]/g;
const MAX_LENGTH = 255;

/**
 * A description EC2 accepts, built from the library's text (which names constructs by their
 * path): characters outside EC2's set become `_`, and a text too long keeps its end behind a
 * leading `...`. A text EC2 already accepts is returned as it is, so that existing groups keep
 * their description (changing it replaces the group).
 */
export function ec2Description(text: string): string {
  if (Token.isUnresolved(text)) {
    return text;
  }
  const clean = text.replace(NOT_ALLOWED, '_');
  return clean.length <= MAX_LENGTH ? clean : `...${clean.slice(clean.length - MAX_LENGTH + 3)}`;
}
