"""Queue and exchange names shared by producers and workers."""

DEFAULT_QUEUE = "bastion.default"
EVENTS_EXCHANGE = "bastion.events"
# Where events wait in the embedded profile (see bus.events).
EVENTS_QUEUE = "bastion.events.all"
