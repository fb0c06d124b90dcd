"""moto_server, plus CloudFormation models where moto 5.2's fall short for a fleet stack.

1. Types moto's CloudFormation has no model for, but a fleet stack reads by Fn::GetAtt: without a
   model moto skips the resource, and the Fn::GetAtt fails the whole stack ("Template error: instance
   of Fn::GetAtt references undefined resource"). The gateway's session store URL reads the
   replication group's endpoint; the pool services register in Cloud Map by the service's ARN.
2. ALB JWT verification (listener action `jwt-validation`), newer than moto 5.2's ELBv2, which
   rejects the action type. It is let through moto's validation when its configuration names an
   issuer and a JWKS endpoint, and stored as given (so DescribeRules returns it); nothing verifies
   tokens in the emulator.
3. `Custom::AWS` (CDK's AwsCustomResource, e.g. reading an SSM parameter in another region): moto
   would run its provider Lambda in Docker, which is not here. The harness makes the SDK call the
   provider would make, against this emulator, and exposes the flattened response as its
   attributes. Other custom resources are left to moto (recorded, never run).
   CloudWatch alarms are created the same way (PutMetricAlarm on this server): dashboards with alarm
   widgets read their ARNs.
4. Types whose moto model drops properties the tests check, or lacks attributes CDK reads: target
   group attributes (algorithm, deregistration delay, stickiness) and TargetGroupFullName, load
   balancer attributes and CanonicalHostedZoneID, the ECS service's launch type, network
   configuration, load balancers and service registries; the task definition's CPU, network mode,
   compatibilities and roles; the Lambda function's architecture.

Each model creates the resource through moto's own service backend, so the test reads it back with
the AWS SDK like any other, and the backend's own validation applies. Only creation is modelled
(moto cannot update or delete stacks anyway); properties a backend does not keep are passed over.

Usage: python3 moto_server_with_models.py -H 127.0.0.1 -p <port>   (the arguments of moto_server)
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from typing import Any

import boto3
from botocore import xform_name

from moto.cloudformation.custom_model import CustomModel
from moto.core.common_models import CloudFormationModel
from moto.awslambda.models import LambdaFunction
from moto.core.utils import pascal_to_camelcase, remap_nested_keys
from moto.ecs.models import Cluster, Service, TaskDefinition, ecs_backends
from moto.elasticache.models import elasticache_backends
from moto.elbv2 import models as elbv2_models
from moto.elbv2.exceptions import ValidationError
from moto.elbv2.models import ELBv2Backend, FakeAction, FakeLoadBalancer, FakeTargetGroup, elbv2_backends
from moto.secretsmanager.models import secretsmanager_backends
from moto.server import main as moto_server_main
from moto.servicediscovery.models import servicediscovery_backends


# moto's model metaclass files every model under the service named by its module ("moto.<service>...").
MOTO_MODULE = "moto.cloudformation.emulator_models"


def _tags(properties: dict[str, Any]) -> list[dict[str, str]]:
    return list(properties.get("Tags") or [])


def _camel_keys(value: Any) -> Any:
    """CloudFormation spells API structures in PascalCase (`AwsvpcConfiguration`); ECS wants camelCase."""
    return remap_nested_keys(value, pascal_to_camelcase)


def _key_values(entries: Any) -> dict[str, str]:
    return {entry["Key"]: str(entry["Value"]) for entry in entries or []}


class _CreateOnly:
    """Shared plumbing: physical id for Ref, attributes for Fn::GetAtt. A mixin, because moto finds
    models among the *direct* subclasses of CloudFormationModel."""

    def __init__(self, physical_id: str, attributes: dict[str, Any]) -> None:
        self._physical_id = physical_id
        self._attributes = attributes

    @property
    def physical_resource_id(self) -> str:
        return self._physical_id

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return True

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        if attribute_name not in self._attributes:
            raise ValueError(f"{type(self).__name__} has no attribute {attribute_name} in this emulator model")
        return self._attributes[attribute_name]


class SecretModel(_CreateOnly, CloudFormationModel):
    """AWS::SecretsManager::Secret, with GenerateSecretString; Ref and Id are the ARN."""

    __module__ = MOTO_MODULE

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::SecretsManager::Secret"

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> "SecretModel":
        properties = cloudformation_json["Properties"]
        backend = secretsmanager_backends[account_id][region_name]
        name = properties.get("Name") or resource_name
        secret_string = properties.get("SecretString")
        generate = properties.get("GenerateSecretString")
        if secret_string is None and generate is not None:
            password = backend.get_random_password(
                password_length=int(generate.get("PasswordLength", 32)),
                exclude_characters=generate.get("ExcludeCharacters", ""),
                exclude_numbers=bool(generate.get("ExcludeNumbers", False)),
                exclude_punctuation=bool(generate.get("ExcludePunctuation", False)),
                exclude_uppercase=bool(generate.get("ExcludeUppercase", False)),
                exclude_lowercase=bool(generate.get("ExcludeLowercase", False)),
                include_space=bool(generate.get("IncludeSpace", False)),
                require_each_included_type=bool(generate.get("RequireEachIncludedType", True)),
            )
            secret_string = _password_value(password, generate)
        backend.create_secret(
            name=name,
            secret_string=secret_string,
            secret_binary=None,
            description=properties.get("Description"),
            tags=_tags(properties),
            kms_key_id=properties.get("KmsKeyId"),
            client_request_token=None,
            replica_regions=[],
            force_overwrite=False,
        )
        arn = backend.secrets[name].arn
        return cls(arn, {"Id": arn})


def _password_value(password_json: str, generate: dict[str, Any]) -> str:
    """The backend answers GetRandomPassword's JSON; a template and key put it into a JSON object."""
    password = json.loads(password_json)["RandomPassword"]
    template = generate.get("SecretStringTemplate")
    key = generate.get("GenerateStringKey")
    if template is None or key is None:
        return password
    value = json.loads(template)
    value[key] = password
    return json.dumps(value)


# CloudFormation's alarm properties are PutMetricAlarm's parameters, by the same names.
ALARM_PARAMETERS = (
    "ActionsEnabled", "AlarmActions", "AlarmDescription", "ComparisonOperator", "DatapointsToAlarm", "Dimensions",
    "EvaluateLowSampleCountPercentile", "EvaluationPeriods", "ExtendedStatistic", "InsufficientDataActions",
    "MetricName", "Metrics", "Namespace", "OKActions", "Period", "Statistic", "Threshold", "ThresholdMetricId",
    "TreatMissingData", "Unit",
)


class AlarmModel(_CreateOnly, CloudFormationModel):
    """AWS::CloudWatch::Alarm, created through this server's PutMetricAlarm; Ref is the name."""

    __module__ = MOTO_MODULE

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CloudWatch::Alarm"

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> "AlarmModel":
        p = cloudformation_json["Properties"]
        name = p.get("AlarmName") or resource_name
        cloudwatch = _emulator_client("cloudwatch", region_name)
        cloudwatch.put_metric_alarm(AlarmName=name, **{key: p[key] for key in ALARM_PARAMETERS if key in p})
        arn = cloudwatch.describe_alarms(AlarmNames=[name])["MetricAlarms"][0]["AlarmArn"]
        return cls(name, {"Arn": arn})


class CacheSubnetGroupModel(_CreateOnly, CloudFormationModel):
    """AWS::ElastiCache::SubnetGroup; Ref is the (lower-case) name."""

    __module__ = MOTO_MODULE

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ElastiCache::SubnetGroup"

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> "CacheSubnetGroupModel":
        properties = cloudformation_json["Properties"]
        name = (properties.get("CacheSubnetGroupName") or resource_name).lower()
        elasticache_backends[account_id][region_name].create_cache_subnet_group(
            cache_subnet_group_name=name,
            cache_subnet_group_description=properties.get("Description", ""),
            subnet_ids=list(properties.get("SubnetIds") or []),
            tags=_tags(properties),
        )
        return cls(name, {})


class ReplicationGroupModel(_CreateOnly, CloudFormationModel):
    """AWS::ElastiCache::ReplicationGroup (cluster mode disabled or enabled); Ref is the id."""

    __module__ = MOTO_MODULE

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ElastiCache::ReplicationGroup"

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> "ReplicationGroupModel":
        p = cloudformation_json["Properties"]
        # Real ids are lower case and at most 40 characters.
        group_id = (p.get("ReplicationGroupId") or resource_name).lower()[:40].rstrip("-")
        group = elasticache_backends[account_id][region_name].create_replication_group(
            replication_group_id=group_id,
            replication_group_description=p.get("ReplicationGroupDescription", ""),
            global_replication_group_id=p.get("GlobalReplicationGroupId"),
            primary_cluster_id=p.get("PrimaryClusterId"),
            automatic_failover_enabled=bool(p.get("AutomaticFailoverEnabled", False)),
            multi_az_enabled=bool(p.get("MultiAZEnabled", False)),
            num_cache_clusters=p.get("NumCacheClusters"),
            preferred_cache_cluster_azs=p.get("PreferredCacheClusterAZs"),
            num_node_groups=p.get("NumNodeGroups"),
            replicas_per_node_group=p.get("ReplicasPerNodeGroup"),
            node_group_configuration=p.get("NodeGroupConfiguration"),
            cache_node_type=p.get("CacheNodeType"),
            engine=p.get("Engine", "redis"),
            engine_version=p.get("EngineVersion"),
            cache_parameter_group_name=p.get("CacheParameterGroupName"),
            cache_subnet_group_name=p.get("CacheSubnetGroupName"),
            cache_security_group_names=p.get("CacheSecurityGroupNames"),
            security_group_ids=p.get("SecurityGroupIds"),
            tags=_tags(p),
            snapshot_arns=p.get("SnapshotArns"),
            snapshot_name=p.get("SnapshotName"),
            preferred_maintenance_window=p.get("PreferredMaintenanceWindow"),
            port=int(p.get("Port", 6379)),
            notification_topic_arn=p.get("NotificationTopicArn"),
            auto_minor_version_upgrade=p.get("AutoMinorVersionUpgrade"),
            snapshot_retention_limit=p.get("SnapshotRetentionLimit"),
            snapshot_window=p.get("SnapshotWindow"),
            auth_token=p.get("AuthToken"),
            transit_encryption_enabled=bool(p.get("TransitEncryptionEnabled", False)),
            at_rest_encryption_enabled=bool(p.get("AtRestEncryptionEnabled", False)),
            kms_key_id=p.get("KmsKeyId"),
            user_group_ids=p.get("UserGroupIds"),
            log_delivery_configurations=p.get("LogDeliveryConfigurations"),
            data_tiering_enabled=p.get("DataTieringEnabled"),
            network_type=p.get("NetworkType"),
            ip_discovery=p.get("IpDiscovery"),
            transit_encryption_mode=p.get("TransitEncryptionMode"),
            cluster_mode=p.get("ClusterMode"),
            serverless_cache_snapshot_name=None,
        )
        attributes: dict[str, Any] = {}
        configuration = getattr(group, "configuration_endpoint", None)
        if configuration:
            attributes["ConfigurationEndPoint.Address"] = configuration["address"]
            attributes["ConfigurationEndPoint.Port"] = str(configuration["port"])
        else:
            first = group.node_groups[0]
            attributes["PrimaryEndPoint.Address"] = first["primary_endpoint_address"]
            attributes["PrimaryEndPoint.Port"] = str(first["port"])
            attributes["ReaderEndPoint.Address"] = first["reader_endpoint_address"]
            attributes["ReaderEndPoint.Port"] = str(first["port"])
        return cls(group_id, attributes)


class PrivateDnsNamespaceModel(_CreateOnly, CloudFormationModel):
    """AWS::ServiceDiscovery::PrivateDnsNamespace; Ref is the namespace id."""

    __module__ = MOTO_MODULE

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ServiceDiscovery::PrivateDnsNamespace"

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> "PrivateDnsNamespaceModel":
        p = cloudformation_json["Properties"]
        backend = servicediscovery_backends[account_id][region_name]
        backend.create_private_dns_namespace(
            name=p["Name"],
            creator_request_id=resource_name,
            description=p.get("Description", ""),
            vpc=p["Vpc"],
            tags=_tags(p),
            properties=p.get("Properties") or {},
        )
        namespace = next(n for n in backend.namespaces.values() if n.name == p["Name"] and n.vpc == p["Vpc"])
        return cls(
            namespace.id,
            {"Id": namespace.id, "Arn": namespace.arn, "HostedZoneId": namespace.dns_properties.get("HostedZoneId")},
        )


class DiscoveryServiceModel(_CreateOnly, CloudFormationModel):
    """AWS::ServiceDiscovery::Service; Ref is the service id."""

    __module__ = MOTO_MODULE

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ServiceDiscovery::Service"

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> "DiscoveryServiceModel":
        p = cloudformation_json["Properties"]
        dns_config = dict(p.get("DnsConfig") or {})
        namespace_id = p.get("NamespaceId") or dns_config.pop("NamespaceId", None)
        service = servicediscovery_backends[account_id][region_name].create_service(
            name=p.get("Name") or resource_name,
            namespace_id=namespace_id,
            creator_request_id=resource_name,
            description=p.get("Description", ""),
            dns_config=dns_config,
            health_check_config=p.get("HealthCheckConfig"),
            health_check_custom_config=p.get("HealthCheckCustomConfig"),
            tags=_tags(p),
            service_type=p.get("Type"),
        )
        return cls(service.id, {"Id": service.id, "Arn": service.arn, "Name": service.name})


JWT_VALIDATION_ACTION = "jwt-validation"
_validate_actions_without_jwt = ELBv2Backend._validate_actions


def _validate_actions(self: ELBv2Backend, actions: list[FakeAction]) -> None:
    """moto's action validation, plus `jwt-validation` actions that name an issuer and a JWKS endpoint."""
    for index, action in enumerate(actions, start=1):
        if action.type == JWT_VALIDATION_ACTION:
            config = action.data.get("JwtValidationConfig") or {}
            if not config.get("Issuer") or not config.get("JwksEndpoint"):
                raise ValidationError(f"actions.{index}: {JWT_VALIDATION_ACTION} needs JwtValidationConfig.Issuer and JwksEndpoint")
    _validate_actions_without_jwt(self, [action for action in actions if action.type != JWT_VALIDATION_ACTION])


elbv2_models.ALLOWED_ACTIONS.append(JWT_VALIDATION_ACTION)
ELBv2Backend._validate_actions = _validate_actions  # type: ignore[method-assign]


AWS_CUSTOM_RESOURCE_TYPE = "Custom::AWS"
_create_custom_resource_in_docker = CustomModel.create_from_cloudformation_json


def _create_custom_resource(
    cls: type[CustomModel], resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
) -> CustomModel:
    if kwargs["ResourceType"] != AWS_CUSTOM_RESOURCE_TYPE:
        return _create_custom_resource_in_docker(resource_name, cloudformation_json, account_id, region_name, **kwargs)
    properties = cloudformation_json["Properties"]
    call = json.loads(properties.get("Create") or properties["Update"])
    response = _sdk_call(call, region_name)
    resource = CustomModel(region_name, str(uuid.uuid4()), kwargs["LogicalId"], _physical_id(call, response, resource_name))
    output_paths = call.get("outputPaths")
    resource.set_data({k: v for k, v in response.items() if not output_paths or k in output_paths})
    return resource


def _emulator_client(service: str, region: str) -> Any:
    """A boto3 client for this very server (moto_server runs threaded, so it can call itself)."""
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=f"http://localhost:{os.environ['MOTO_PORT']}",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def _sdk_call(call: dict[str, Any], default_region: str) -> dict[str, str]:
    """The AwsCustomResource call (`service`, `action`, `parameters`, `region`) made against this
    emulator, its response flattened as the provider flattens it (`Parameter.Value`, `Items.0.Id`)."""
    service = call["service"].lower().removeprefix("@aws-sdk/client-")
    action = xform_name(call["action"].removesuffix("Command"))
    client = _emulator_client(service, call.get("region") or default_region)
    response = getattr(client, action)(**(call.get("parameters") or {}))
    response.pop("ResponseMetadata", None)
    return _flatten(response)


def _flatten(value: Any, prefix: str = "") -> dict[str, str]:
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = ((str(index), item) for index, item in enumerate(value))
    else:
        return {prefix: value if isinstance(value, str) else json.dumps(value, default=str)}
    flat: dict[str, str] = {}
    for key, item in items:
        flat.update(_flatten(item, f"{prefix}.{key}" if prefix else key))
    return flat


def _physical_id(call: dict[str, Any], response: dict[str, str], fallback: str) -> str:
    physical = call.get("physicalResourceId") or {}
    if "id" in physical:
        return str(physical["id"])
    if "responsePath" in physical:
        return response[physical["responsePath"]]
    return fallback


CustomModel.create_from_cloudformation_json = classmethod(_create_custom_resource)  # type: ignore[method-assign, assignment]


class TargetGroupModel(FakeTargetGroup, CloudFormationModel):
    """moto's target group model, plus TargetGroupAttributes and the attributes CDK reads."""

    __module__ = MOTO_MODULE

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> FakeTargetGroup:
        target_group = super().create_from_cloudformation_json(
            resource_name, cloudformation_json, account_id, region_name, **kwargs
        )
        attributes = _key_values(cloudformation_json["Properties"].get("TargetGroupAttributes"))
        if attributes:
            elbv2_backends[account_id][region_name].modify_target_group_attributes(target_group.arn, attributes)
        # Fn::GetAtt asks the object this returns; the backend made a plain FakeTargetGroup.
        target_group.__class__ = cls
        return target_group

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        if attribute_name == "TargetGroupFullName":
            return self.arn.split(":")[-1]
        if attribute_name == "TargetGroupName":
            return self.name
        if attribute_name == "TargetGroupArn":
            return self.arn
        if attribute_name == "LoadBalancerArns":
            return list(self.load_balancer_arns)
        raise ValueError(f"TargetGroupModel has no attribute {attribute_name} in this emulator model")


class LoadBalancerModel(FakeLoadBalancer, CloudFormationModel):
    """moto's load balancer model, plus LoadBalancerAttributes and the attributes CDK reads."""

    __module__ = MOTO_MODULE

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> FakeLoadBalancer:
        load_balancer = super().create_from_cloudformation_json(
            resource_name, cloudformation_json, account_id, region_name, **kwargs
        )
        attributes = _key_values(cloudformation_json["Properties"].get("LoadBalancerAttributes"))
        if attributes:
            elbv2_backends[account_id][region_name].modify_load_balancer_attributes(load_balancer.arn, attributes)
        # Fn::GetAtt asks the object this returns; the backend made a plain FakeLoadBalancer.
        load_balancer.__class__ = cls
        return load_balancer

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        if attribute_name == "CanonicalHostedZoneID":
            return self.canonical_hosted_zone_id
        if attribute_name == "LoadBalancerFullName":
            return self.arn.split(":loadbalancer/")[-1]
        if attribute_name == "SecurityGroups":
            return list(self.security_groups or [])
        return super().get_cfn_attribute(attribute_name)


class EcsServiceModel(Service, CloudFormationModel):
    """moto's ECS service model reads only the cluster, task definition and desired count."""

    __module__ = MOTO_MODULE

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> Service:
        p = cloudformation_json["Properties"]
        cluster = p["Cluster"].name if isinstance(p["Cluster"], Cluster) else p["Cluster"]
        task_definition = p["TaskDefinition"]
        if isinstance(task_definition, TaskDefinition):
            task_definition = task_definition.arn
        return ecs_backends[account_id][region_name].create_service(
            cluster,
            p.get("ServiceName") or resource_name,
            p.get("DesiredCount"),
            task_definition_str=task_definition,
            load_balancers=_camel_keys(p.get("LoadBalancers") or []),
            tags=_camel_keys(_tags(p)),
            deployment_controller=_camel_keys(p.get("DeploymentController")),
            launch_type=p.get("LaunchType"),
            service_registries=_camel_keys(p.get("ServiceRegistries") or []),
            platform_version=p.get("PlatformVersion"),
            propagate_tags=p.get("PropagateTags", "NONE"),
            network_configuration=_camel_keys(p.get("NetworkConfiguration")),
        )


class EcsTaskDefinitionModel(TaskDefinition, CloudFormationModel):
    """moto's task definition model reads only the family, containers, volumes and memory."""

    __module__ = MOTO_MODULE

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> TaskDefinition:
        p = cloudformation_json["Properties"]
        return ecs_backends[account_id][region_name].register_task_definition(
            family=p.get("Family") or resource_name,
            container_definitions=_camel_keys(p.get("ContainerDefinitions") or []),
            volumes=_camel_keys(p.get("Volumes") or []),
            network_mode=p.get("NetworkMode"),
            tags=_camel_keys(_tags(p)),
            requires_compatibilities=p.get("RequiresCompatibilities"),
            cpu=p.get("Cpu"),
            memory=p.get("Memory"),
            task_role_arn=p.get("TaskRoleArn"),
            execution_role_arn=p.get("ExecutionRoleArn"),
            runtime_platform=_camel_keys(p.get("RuntimePlatform")),
            ephemeral_storage=_camel_keys(p.get("EphemeralStorage")),
        )


class LambdaFunctionModel(LambdaFunction, CloudFormationModel):
    """moto's function model, plus Architectures (it creates every function as x86_64)."""

    __module__ = MOTO_MODULE

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> LambdaFunction:
        function = super().create_from_cloudformation_json(
            resource_name, cloudformation_json, account_id, region_name, **kwargs
        )
        architectures = cloudformation_json["Properties"].get("Architectures")
        if architectures:
            function.architectures = list(architectures)
        return function


if __name__ == "__main__":
    moto_server_main(sys.argv[1:])
