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

import sys

from moto.server import main as moto_server_main

# Imported for their side effect: moto finds CloudFormation models among the subclasses of
# CloudFormationModel defined before the first stack is parsed.
from fleet_models import custom_resources, dropped_settings, missing_types  # noqa: F401

if __name__ == "__main__":
    moto_server_main(sys.argv[1:])
