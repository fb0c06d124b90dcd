"""CloudFormation models the deploy tests' moto server adds; importing a module registers its models."""
