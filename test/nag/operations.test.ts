/**
 * cdk-nag's five packs over the operations constructs (issue #14): monitoring, the probe, the
 * connection acceptor and the teardown. What stays visible is only what the user chooses (log
 * encryption, the probe's alarm action); with those chosen, nothing they create is flagged.
 */
import { Aws, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { checkedApp, unacknowledgedFindings } from './packs';
import { EcsPrivateLinkApi, EcsPrivateLinkApiMonitoring, PrivateLinkConsumer, PrivateLinkProbe } from '../../src';
import { FLAG_SETTINGS, IMAGE } from '../helpers';

const inPacks = (at: string, rule: string, packs = ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']) => packs.map(pack => `${at} ${pack}-${rule}`);

describe.each(FLAG_SETTINGS)('compliance packs over the operations constructs with $name', ({ context }) => {
  function build(explicit: boolean): string[] {
    const app = checkedApp(context);
    const stack = new Stack(app, 'Ops', { env: { account: '111122223333', region: 'eu-west-1' } });
    stack.node.setContext('availability-zones:account=111122223333:region=eu-west-1', ['eu-west-1a', 'eu-west-1b']);
    const key = explicit ? new kms.Key(stack, 'LogsKey', { enableKeyRotation: true }) : undefined;
    const api = new EcsPrivateLinkApi(stack, 'Api', {
      image: IMAGE,
      allowedPrincipals: [Aws.ACCOUNT_ID],
      autoAcceptAccounts: [Aws.ACCOUNT_ID],
      rejectConnectionsOnDelete: true,
      logsEncryptionKey: key,
    });
    new EcsPrivateLinkApiMonitoring(stack, 'Monitoring', { api });
    const vpc = new ec2.Vpc(stack, 'ConsumerVpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const consumer = new PrivateLinkConsumer(stack, 'Consumer', { vpc, api, allowedPeers: [] });
    const topic = explicit ? new sns.Topic(stack, 'PlatformTeam', { masterKey: new kms.Key(stack, 'TopicKey', { enableKeyRotation: true }), enforceSSL: true }) : undefined;
    new PrivateLinkProbe(stack, 'Probe', { consumer, paths: ['/api/tasks'], logsEncryptionKey: key, alarmTopic: topic });
    // Only what the operations constructs create (the API's own choices are test/nag/compliance.test.ts's).
    return unacknowledgedFindings([stack]).filter(f => /^(Monitoring|Probe|Api\/ConnectionAcceptor|Api\/Teardown|PlatformTeam|TopicKey)/.test(f));
  }

  test('with their defaults: only the log groups\' encryption stays visible (your choice)', () => {
    expect(build(false)).toEqual([
      ...inPacks('Api/ConnectionAcceptor/Function/Logs/Resource', 'CloudWatchLogGroupEncrypted'),
      ...inPacks('Api/Teardown/Function/Logs/Resource', 'CloudWatchLogGroupEncrypted'),
      ...inPacks('Probe/Function/Logs/Resource', 'CloudWatchLogGroupEncrypted'),
    ].sort());
  });

  test('with logsEncryptionKey and an alarm topic: nothing they create is flagged', () => {
    expect(build(true)).toEqual([]);
  });
});
