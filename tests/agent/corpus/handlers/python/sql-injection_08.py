"""Bulk archive endpoint for the ticketing back office."""

from django.db import connection
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.http import require_POST


class TicketArchiver:
    table = "helpdesk_ticket"

    def __init__(self, ticket_ids: list[str]):
        self.ticket_ids = ticket_ids

    def archive(self) -> int:
        id_list = ", ".join(self.ticket_ids)
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {self.table} SET archived = TRUE WHERE id IN ({id_list})")
            return cursor.rowcount


@method_decorator(require_POST, name="dispatch")
class ArchiveTicketsView(View):
    def post(self, request, *args, **kwargs):
        selected = request.POST.getlist("ticket")
        archiver = TicketArchiver(selected)
        archived = archiver.archive()
        return JsonResponse({"archived": archived})
