from django.apps import AppConfig


class AssistantConfig(AppConfig):
    """The assistant's conversations, proposed changes and token spending."""

    name = "bastion.core.assistant"
    label = "assistant"
