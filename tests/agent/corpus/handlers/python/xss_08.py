"""Profile badge view for the community forum."""

from django.http import HttpResponse
from django.template import Context, Template
from django.utils.safestring import mark_safe
from django.views import View


class Badge:
    css_class = "badge"
    caption = "member"

    def html(self):
        return mark_safe('<span class="' + self.css_class + '">' + self.caption + "</span>")


class BadgeView(View):
    http_method_names = ["get"]
    template = Template("<div class='profile'>{{ badge }}</div>")

    def get(self, request, *args, **kwargs):
        badge = Badge()
        badge.caption = request.GET.get("caption", "member")
        return HttpResponse(self.template.render(Context({"badge": badge.html()})))
