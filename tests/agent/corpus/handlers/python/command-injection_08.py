"""Repository mirror view: fetches a branch of a mirrored repository."""

import subprocess

from django.http import JsonResponse
from django.views import View


class MirrorFetcher:
    repository_path = "/srv/mirrors/platform.git"
    branch = "main"

    def fetch(self) -> int:
        command = "git -C " + self.repository_path + " fetch origin " + self.branch
        process = subprocess.Popen(command, shell=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        process.communicate(timeout=120)
        return process.returncode


class FetchBranchView(View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        fetcher = MirrorFetcher()
        fetcher.branch = request.POST.get("branch", "main")
        return_code = fetcher.fetch()
        return JsonResponse({"branch": fetcher.branch, "ok": return_code == 0})
