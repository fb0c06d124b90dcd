/**
 * Lookups of a deployed fleet's resources by the physical names the fleet plan gives them.
 */
import { DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeTargetGroupsCommand, type Listener, type LoadBalancer, type TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeServicesCommand, ListServicesCommand, type Service } from '@aws-sdk/client-ecs';
import { ListNamespacesCommand } from '@aws-sdk/client-servicediscovery';
import type { EmulatorClients } from './emulator-clients';

export async function loadBalancerNamed(clients: EmulatorClients, name: string): Promise<LoadBalancer> {
  const { LoadBalancers } = await clients.elbv2.send(new DescribeLoadBalancersCommand({ Names: [name] }));
  return LoadBalancers![0]!;
}

export async function listenersOf(clients: EmulatorClients, loadBalancerName: string): Promise<Listener[]> {
  const loadBalancer = await loadBalancerNamed(clients, loadBalancerName);
  const { Listeners } = await clients.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancer.LoadBalancerArn }));
  return Listeners ?? [];
}

export async function targetGroupNamed(clients: EmulatorClients, name: string): Promise<TargetGroup> {
  const { TargetGroups } = await clients.elbv2.send(new DescribeTargetGroupsCommand({ Names: [name] }));
  return TargetGroups![0]!;
}

/** Every target group's name by its ARN. */
export async function targetGroupNamesByArn(clients: EmulatorClients): Promise<Map<string, string>> {
  const { TargetGroups } = await clients.elbv2.send(new DescribeTargetGroupsCommand({}));
  return new Map((TargetGroups ?? []).map((tg) => [tg.TargetGroupArn!, tg.TargetGroupName!]));
}

export async function servicesOf(clients: EmulatorClients, clusterName: string): Promise<Service[]> {
  const { serviceArns } = await clients.ecs.send(new ListServicesCommand({ cluster: clusterName }));
  const { services } = await clients.ecs.send(new DescribeServicesCommand({ cluster: clusterName, services: serviceArns }));
  return services ?? [];
}

export async function namespaceIdNamed(clients: EmulatorClients, name: string): Promise<string> {
  const { Namespaces } = await clients.serviceDiscovery.send(new ListNamespacesCommand({}));
  const namespace = (Namespaces ?? []).find((n) => n.Name === name);
  if (!namespace?.Id) throw new Error(`no Cloud Map namespace named ${name}`);
  return namespace.Id;
}
