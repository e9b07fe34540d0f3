"""The system of record: a Django project holding Bastion's schema, tenancy and REST API."""
