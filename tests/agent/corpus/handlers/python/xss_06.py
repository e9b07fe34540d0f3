"""Comment preview endpoint for the blog editor."""

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

app = FastAPI()


class CommentDraft(BaseModel):
    author: str
    paragraphs: list[str]


@app.post("/comments/preview", response_class=HTMLResponse)
def preview_comment(draft: CommentDraft):
    blocks = ["<article>", f"<h3>{len(draft.paragraphs)} paragraphs</h3>"]
    blocks.extend(f"<p>{paragraph}</p>" for paragraph in draft.paragraphs)
    blocks.append("</article>")
    return HTMLResponse("".join(blocks))
