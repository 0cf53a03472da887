import { type CfnResource, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ExpectedLogicalIds } from './ecs-privatelink-api-props';

/** The resources `ExpectedLogicalIds` names, as built. */
export interface GuardedResources {
  readonly endpointService: CfnResource;
  readonly networkLoadBalancer: CfnResource;
}

/** What a new logical ID does to the customers, by resource. */
const CONSEQUENCES: Record<keyof GuardedResources, string> = {
  endpointService: 'CloudFormation would create a new endpoint service, with a NEW service name, and delete the old one: ' +
    'every consumer endpoint would break',
  networkLoadBalancer: 'CloudFormation would create a new NLB, move the endpoint service to it and delete the old one: ' +
    'open connections would drop, and AWS documents no seamless move of existing endpoints to another load balancer',
};

/**
 * Fails synthesis when a resource would get another logical ID than the one deployed. Checked
 * at synthesis, after the app is built, so that `overrideLogicalId` calls count.
 */
export function guardLogicalIds(api: Construct, expected: ExpectedLogicalIds, resources: GuardedResources): void {
  api.node.addValidation({
    validate: () => (Object.keys(resources) as Array<keyof GuardedResources>).flatMap(key => {
      const want = expected[key];
      const got = Stack.of(resources[key]).resolve(resources[key].logicalId) as string;
      return want === undefined || got === want ? [] : [
        `the ${key === 'endpointService' ? 'endpoint service' : 'NLB'} would get logical ID '${got}', not the deployed ` +
        `'${want}' (expectedLogicalIds.${key}): ${CONSEQUENCES[key]}. If this construct or one above it was renamed or moved, ` +
        'move it back, or move the deployed resources with `cdk refactor`; if the replacement is intended, move the customers ' +
        'first (README "Upgrades and changes that replace the service") and update expectedLogicalIds.',
      ];
    }),
  });
}
