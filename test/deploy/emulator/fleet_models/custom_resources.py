"""`Custom::AWS` (CDK's AwsCustomResource): the SDK call its provider Lambda would make, made
against this emulator (moto would run the Lambda in Docker, which is not here)."""

from __future__ import annotations

import json
import uuid
from typing import Any

from botocore import xform_name
from moto.cloudformation.custom_model import CustomModel

from .common import emulator_client

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


def _sdk_call(call: dict[str, Any], default_region: str) -> dict[str, str]:
    """The AwsCustomResource call (`service`, `action`, `parameters`, `region`) made against this
    emulator, its response flattened as the provider flattens it (`Parameter.Value`, `Items.0.Id`)."""
    service = call["service"].lower().removeprefix("@aws-sdk/client-")
    action = xform_name(call["action"].removesuffix("Command"))
    client = emulator_client(service, call.get("region") or default_region)
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
