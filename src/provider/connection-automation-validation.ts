/**
 * Synth-time checks of the connection automation: auto-accepting listed accounts
 * (`ConnectionAcceptor`, `autoAcceptAccounts`) and rejecting connections before deletion
 * (`EndpointServiceTeardown`, `rejectConnectionsOnDelete`).
 */
import { Token } from 'aws-cdk-lib';
import type { EcsPrivateLinkApiProps } from './ecs-privatelink-api-props';
import { ACCOUNT_ID } from './principals';
import type { Validator } from '../common';

/** The accounts a `ConnectionAcceptor` accepts: 12-digit IDs (or tokens), at least one. */
export function validateAcceptedAccounts(v: Validator, prop: string, accounts: string[]): void {
  if (accounts.length === 0) {
    v.fail(prop, [], 'give at least one AWS account ID, or leave it out');
  }
  for (const account of accounts.filter(a => !Token.isUnresolved(a))) {
    v.check(ACCOUNT_ID.test(account), prop, account,
      'each must be a 12-digit AWS account ID: AWS reports the account that owns an endpoint (VpcEndpointOwner), not the ' +
      'principal that created it, so acceptance can only go by account');
  }
}

/** The API's `autoAcceptAccounts`: accounts it allows, with acceptance and notifications on. */
export function validateConnectionAutomation(v: Validator, props: EcsPrivateLinkApiProps): void {
  const accounts = props.autoAcceptAccounts;
  if (accounts === undefined) {
    return;
  }
  validateAcceptedAccounts(v, 'autoAcceptAccounts', accounts);
  if (props.acceptanceRequired === false) {
    v.fail('acceptanceRequired', false, 'must stay on with autoAcceptAccounts: without it every allowed principal is accepted ' +
      'and there is nothing to automate (drop autoAcceptAccounts, or keep acceptanceRequired on)');
  }
  if (props.connectionNotifications === false) {
    v.fail('connectionNotifications', false, 'must stay on with autoAcceptAccounts: connection notifications trigger the acceptance');
  }
  const principals = props.allowedPrincipals ?? [];
  if (principals.includes('*') || principals.some(p => Token.isUnresolved(p))) {
    return; // every account may connect, or a principal is only known at deploy time
  }
  for (const account of accounts.filter(a => !Token.isUnresolved(a))) {
    const allowed = principals.some(p => p === account || p.split(':')[4] === account);
    v.check(allowed, 'autoAcceptAccounts', account, `must be an account allowedPrincipals allows (${JSON.stringify(principals)}): ` +
      'its account ID, its root or an IAM role or user of it; an account that may not connect has nothing to accept');
  }
}
