"""Alert threshold check for the monitoring back office."""

from django.http import JsonResponse
from django.views import View

from monitoring.models import Sensor


class ThresholdCheck:
    condition = "reading > 100"

    def matches(self, reading: float) -> bool:
        return bool(eval("(" + self.condition + ")", {"__builtins__": {}}, {"reading": reading}))


class SensorAlertView(View):
    http_method_names = ["post"]

    def post(self, request, sensor_id, *args, **kwargs):
        sensor = Sensor.objects.get(pk=sensor_id)
        check = ThresholdCheck()
        check.condition = request.POST.get("condition", "reading > 100")
        return JsonResponse({"sensor": sensor.pk, "alert": check.matches(sensor.last_reading)})
