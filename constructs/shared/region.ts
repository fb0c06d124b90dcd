/** The one stack setting mcp-fleet needs at synth time: a concrete region. */
import { Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { validationError } from './errors';

/**
 * The region of `scope`'s stack, checked early: ALB access logs, the WAF, the dashboard and regional
 * names all depend on it, and an environment-agnostic stack otherwise fails deep inside aws-cdk-lib
 * (`RegionRequiredEnableBvAccess`). A region alone synthesizes without credentials; an account as
 * well makes CDK look up availability zones (credentials, or entries in cdk.context.json).
 * @param why what needs the region, for the message.
 */
export function concreteRegion(scope: IConstruct, why: string): string {
  const region = Stack.of(scope).region;
  if (Token.isUnresolved(region)) {
    throw validationError(
      scope,
      'McpFleetRegionRequired',
      `${why} needs a stack with a concrete region. Give the stack an environment, e.g. new Stack(app, '${Stack.of(scope).node.id}', { env: { region: 'us-east-1' } }) (an account too is optional: with one, CDK looks up availability zones, which needs credentials or cdk.context.json)`,
    );
  }
  return region;
}
