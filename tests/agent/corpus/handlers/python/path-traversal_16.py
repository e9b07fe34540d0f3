"""Help article renderer for the customer portal (Django)."""

from pathlib import Path

import markdown
from django.conf import settings
from django.http import JsonResponse
from django.views import View


class ArticleStore:
    """Locate help articles written in Markdown."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, language: str, slug: str) -> Path:
        return self.root / language / f"{slug}.md"


class HelpArticleView(View):
    http_method_names = ["get"]
    store = ArticleStore(Path(settings.BASE_DIR) / "help")

    def get(self, request, *args, **kwargs):
        language = "en" if request.LANGUAGE_CODE.startswith("en") else "de"
        slug = request.GET.get("article", "getting-started")
        article_path = self.store.path_for(language, slug)
        source = article_path.read_text(encoding="utf-8")
        body = markdown.markdown(source, extensions=["tables"])
        return JsonResponse({"article": slug, "language": language, "html": body})
