"""Plumbing shared by the emulator's CloudFormation models."""

from __future__ import annotations

import os
from typing import Any

import boto3
from moto.core.utils import pascal_to_camelcase, remap_nested_keys

# moto's model metaclass files every model under the service named by its module ("moto.<service>...").
MOTO_MODULE = "moto.cloudformation.emulator_models"


def tags_of(properties: dict[str, Any]) -> list[dict[str, str]]:
    return list(properties.get("Tags") or [])


def camel_keys(value: Any) -> Any:
    """CloudFormation spells API structures in PascalCase (`AwsvpcConfiguration`); ECS wants camelCase."""
    return remap_nested_keys(value, pascal_to_camelcase)


def key_values(entries: Any) -> dict[str, str]:
    return {entry["Key"]: str(entry["Value"]) for entry in entries or []}


class CreateOnly:
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


def emulator_client(service: str, region: str) -> Any:
    """A boto3 client for this very server (moto_server runs threaded, so it can call itself)."""
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=f"http://localhost:{os.environ['MOTO_PORT']}",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
