/**
 * Security groups without defaults: every group starts with no rules at all (the provider removes
 * AWS's allow-all egress), and each permitted flow is one ingress rule on the receiver plus the
 * matching egress rule on the sender, both from the plan's ingress list.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

/** A fleet security group and the component that owns it (the parent of its rules). */
export interface SecurityGroupEnd {
  readonly owner: pulumi.Resource;
  readonly securityGroupId: pulumi.Input<string>;
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
  new aws.vpc.SecurityGroupEgressRule(
    `${name}-out`,
    { securityGroupId: from.securityGroupId, referencedSecurityGroupId: to.securityGroupId, ipProtocol: 'tcp', fromPort: port, toPort: port, description },
    { parent: from.owner },
  );
}

/** Admits TCP `port` from anywhere (IPv4 and IPv6): only the internet-facing load balancer uses this. */
export function allowTcpFromInternet(name: string, to: SecurityGroupEnd, port: number, description: string): void {
  for (const [suffix, range] of [['ipv4', { cidrIpv4: '0.0.0.0/0' }], ['ipv6', { cidrIpv6: '::/0' }]] as const) {
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-${suffix}`,
      { securityGroupId: to.securityGroupId, ...range, ipProtocol: 'tcp', fromPort: port, toPort: port, description },
      { parent: to.owner },
    );
  }
}

/** Lets a sender open HTTPS connections to the internet (AWS APIs, JWKS, the tools' upstream APIs). */
export function allowHttpsToInternet(name: string, from: SecurityGroupEnd, description: string): void {
  new aws.vpc.SecurityGroupEgressRule(
    name,
    { securityGroupId: from.securityGroupId, cidrIpv4: '0.0.0.0/0', ipProtocol: 'tcp', fromPort: 443, toPort: 443, description },
    { parent: from.owner },
  );
}
