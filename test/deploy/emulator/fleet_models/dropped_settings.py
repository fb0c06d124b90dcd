"""moto 5.2's own models, plus what they drop that the tests check or CDK reads: target group and
load balancer attributes, ECS service and task definition settings, the Lambda architecture, and
ALB `jwt-validation` actions (newer than moto, which rejects the action type)."""

from __future__ import annotations

from typing import Any

from moto.awslambda.models import LambdaFunction
from moto.core.common_models import CloudFormationModel
from moto.ecs.models import Cluster, Service, TaskDefinition, ecs_backends
from moto.elbv2 import models as elbv2_models
from moto.elbv2.exceptions import ValidationError
from moto.elbv2.models import ELBv2Backend, FakeAction, FakeLoadBalancer, FakeTargetGroup, elbv2_backends

from .common import MOTO_MODULE, camel_keys, key_values, tags_of

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
        attributes = key_values(cloudformation_json["Properties"].get("TargetGroupAttributes"))
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
        attributes = key_values(cloudformation_json["Properties"].get("LoadBalancerAttributes"))
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
            load_balancers=camel_keys(p.get("LoadBalancers") or []),
            tags=camel_keys(tags_of(p)),
            deployment_controller=camel_keys(p.get("DeploymentController")),
            launch_type=p.get("LaunchType"),
            service_registries=camel_keys(p.get("ServiceRegistries") or []),
            platform_version=p.get("PlatformVersion"),
            propagate_tags=p.get("PropagateTags", "NONE"),
            network_configuration=camel_keys(p.get("NetworkConfiguration")),
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
            container_definitions=camel_keys(p.get("ContainerDefinitions") or []),
            volumes=camel_keys(p.get("Volumes") or []),
            network_mode=p.get("NetworkMode"),
            tags=camel_keys(tags_of(p)),
            requires_compatibilities=p.get("RequiresCompatibilities"),
            cpu=p.get("Cpu"),
            memory=p.get("Memory"),
            task_role_arn=p.get("TaskRoleArn"),
            execution_role_arn=p.get("ExecutionRoleArn"),
            runtime_platform=camel_keys(p.get("RuntimePlatform")),
            ephemeral_storage=camel_keys(p.get("EphemeralStorage")),
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
