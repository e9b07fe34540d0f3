"""Choices for tenancy fields, derived from the shared contracts."""

from bastion.contracts.principal import Role

ROLE_CHOICES = [(role.value, role.value.title()) for role in Role]
