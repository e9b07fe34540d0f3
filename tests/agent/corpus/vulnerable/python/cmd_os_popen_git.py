import os

from django.http import HttpResponseBadRequest, JsonResponse

REPO_ROOT = "/srv/git/website"


def recent_commits(branch, limit=20):
    with os.popen(f"git -C {REPO_ROOT} log --oneline -n {limit} {branch}") as stream:
        output = stream.read()
    return [line.split(" ", 1) for line in output.splitlines() if line]


def commit_history(request):
    branch = request.GET.get("branch")
    if branch is None:
        return HttpResponseBadRequest("branch is required")
    commits = recent_commits(branch)
    return JsonResponse({"branch": branch, "commits": [{"sha": sha, "title": title} for sha, title in commits]})
