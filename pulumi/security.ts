/**
 * Security groups without defaults: every group starts with no rules at all (the provider removes
 * AWS's allow-all egress), and each permitted flow is an ingress rule on the receiver plus, unless the
 * sender may already reach anything, the matching egress rule on the sender — from the plan's ingress list.
 */
import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';

/** A fleet security group and the component that owns it (the parent of its rules). */
export interface SecurityGroupEnd {
  readonly owner: pulumi.Resource;
  readonly securityGroupId: pulumi.Input<string>;
  /** The group already lets its members connect anywhere (no per-flow egress rules needed). */
  readonly allowsAllOutbound: boolean;
}

/** Creates a security group with no rules. */
export function emptySecurityGroup(name: string, description: string, vpcId: pulumi.Input<string>, parent: pulumi.Resource): aws.ec2.SecurityGroup {
  // No inline ingress/egress: the provider then removes AWS's default allow-all egress rule, and the
  // only rules are the separate ones below.
  return new aws.ec2.SecurityGroup(name, { description, vpcId, revokeRulesOnDelete: true }, { parent });
}

/** Lets `from` open TCP connections to `to` on `port`: ingress on `to`, egress on `from`. */
export function allowTcp(name: string, from: SecurityGroupEnd, to: SecurityGroupEnd, port: number, description: string): void {
  new aws.vpc.SecurityGroupIngressRule(
    `${name}-in`,
    { securityGroupId: to.securityGroupId, referencedSecurityGroupId: from.securityGroupId, ipProtocol: 'tcp', fromPort: port, toPort: port, description },
    { parent: to.owner },
  );
  if (from.allowsAllOutbound) return;
  new aws.vpc.SecurityGroupEgressRule(
    `${name}-out`,
    { securityGroupId: from.securityGroupId, referencedSecurityGroupId: to.securityGroupId, ipProtocol: 'tcp', fromPort: port, toPort: port, description },
    { parent: from.owner },
  );
}

/** Admits TCP `port` from any IPv4 address: only the internet-facing (IPv4) load balancer uses this. */
export function allowTcpFromInternet(name: string, to: SecurityGroupEnd, port: number, description: string): void {
  new aws.vpc.SecurityGroupIngressRule(name, { securityGroupId: to.securityGroupId, cidrIpv4: '0.0.0.0/0', ipProtocol: 'tcp', fromPort: port, toPort: port, description }, { parent: to.owner });
}

/**
 * Lets members connect anywhere: the gateway (JWKS endpoint, Secrets Manager, pools, session store)
 * and pools (their tools' upstream APIs, on any port), as in the CDK fleet.
 */
export function allowAllOutbound(name: string, from: Pick<SecurityGroupEnd, 'owner' | 'securityGroupId'>, description: string): void {
  new aws.vpc.SecurityGroupEgressRule(name, { securityGroupId: from.securityGroupId, cidrIpv4: '0.0.0.0/0', ipProtocol: '-1', description }, { parent: from.owner });
}
