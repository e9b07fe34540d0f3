"""Queue and exchange names shared by producers and workers."""

DEFAULT_QUEUE = "bastion.default"
EVENTS_EXCHANGE = "bastion.events"
