"""Models for types moto 5.2's CloudFormation lacks although a fleet stack reads them by Fn::GetAtt
(a skipped resource fails the stack): secrets, alarms, ElastiCache, Cloud Map."""

from __future__ import annotations

import json
from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.elasticache.models import elasticache_backends
from moto.secretsmanager.models import secretsmanager_backends
from moto.servicediscovery.models import servicediscovery_backends

from .common import MOTO_MODULE, CreateOnly, emulator_client, tags_of

class SecretModel(CreateOnly, CloudFormationModel):
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
            tags=tags_of(properties),
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


class AlarmModel(CreateOnly, CloudFormationModel):
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
        cloudwatch = emulator_client("cloudwatch", region_name)
        parameters = {key: p[key] for key in ALARM_PARAMETERS if key in p}
        # An action that is a Ref to a type moto skips (a queue pool's step scaling policy) resolves to
        # nothing: the alarm is created without it, as the policy itself is not created either.
        for key in ("AlarmActions", "OKActions", "InsufficientDataActions"):
            if key in parameters:
                parameters[key] = [action for action in parameters[key] if action is not None]
        cloudwatch.put_metric_alarm(AlarmName=name, **parameters)
        arn = cloudwatch.describe_alarms(AlarmNames=[name])["MetricAlarms"][0]["AlarmArn"]
        return cls(name, {"Arn": arn})


class CacheSubnetGroupModel(CreateOnly, CloudFormationModel):
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
            tags=tags_of(properties),
        )
        return cls(name, {})


class ReplicationGroupModel(CreateOnly, CloudFormationModel):
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
            tags=tags_of(p),
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


class PrivateDnsNamespaceModel(CreateOnly, CloudFormationModel):
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
            tags=tags_of(p),
            properties=p.get("Properties") or {},
        )
        namespace = next(n for n in backend.namespaces.values() if n.name == p["Name"] and n.vpc == p["Vpc"])
        return cls(
            namespace.id,
            {"Id": namespace.id, "Arn": namespace.arn, "HostedZoneId": namespace.dns_properties.get("HostedZoneId")},
        )


class DiscoveryServiceModel(CreateOnly, CloudFormationModel):
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
            tags=tags_of(p),
            service_type=p.get("Type"),
        )
        return cls(service.id, {"Id": service.id, "Arn": service.arn, "Name": service.name})
