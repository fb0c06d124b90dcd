/**
 * Security group rules from the plan's ingress list (`FleetPlan.ingress`), the only source of who may
 * reach whom: each construct admits, on its own group, the planned peers it has been given.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { IngressRulePlan, TrafficPeer } from '../../lib/plan';

/** Fleet peers by kind (pools by name); absent peers are not connected (e.g. a part used alone). */
export interface PlannedPeers {
  readonly loadBalancer?: ec2.IConnectable;
  readonly gateway?: ec2.IConnectable;
  readonly sessionStore?: ec2.IConnectable;
  readonly pools?: Readonly<Record<string, ec2.IConnectable>>;
}

function peerOf(peer: TrafficPeer, peers: PlannedPeers): ec2.IConnectable | undefined {
  switch (peer.kind) {
    case 'internet':
      return undefined;
    case 'pool':
      return peers.pools?.[peer.pool];
    default:
      return peers[peer.kind];
  }
}

function samePeer(a: TrafficPeer, b: TrafficPeer): boolean {
  return a.kind === b.kind && (a.kind !== 'pool' || (b.kind === 'pool' && a.pool === b.pool));
}

/**
 * Admits on `to`'s security group every planned rule that targets `self` from a peer in `peers`
 * (with the matching egress rule on the peer when its group does not allow all outbound).
 * @returns the rules applied.
 */
export function allowPlannedIngress(to: ec2.IConnectable, rules: readonly IngressRulePlan[], self: TrafficPeer, peers: PlannedPeers): IngressRulePlan[] {
  const applied: IngressRulePlan[] = [];
  for (const rule of rules) {
    if (!samePeer(rule.to, self)) continue;
    const from = peerOf(rule.from, peers);
    if (!from) continue;
    to.connections.allowFrom(from, ec2.Port.tcp(rule.port), rule.description);
    applied.push(rule);
  }
  return applied;
}
