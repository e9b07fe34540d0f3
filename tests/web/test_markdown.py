"""Comments' Markdown: the formatting people write is kept, anything that could run is not."""

from __future__ import annotations

import pytest
from django.utils.safestring import SafeString

from bastion.core.web.markdown import render_markdown

REL = 'rel="noopener noreferrer nofollow"'


def test_headings_are_kept_below_the_pages_own() -> None:
    assert render_markdown("# Cause\n## Fix\n###### Note") == "<h3>Cause</h3>\n<h4>Fix</h4>\n<h6>Note</h6>\n"


def test_lists_are_kept() -> None:
    assert render_markdown("- one\n- two\n\n3. three\n4. four") == (
        '<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>\n'
    )


def test_inline_and_fenced_code_is_kept_and_escaped() -> None:
    assert render_markdown("Run `make <target>`:\n\n```python\nif a < b:\n    run()\n```") == (
        "<p>Run <code>make &lt;target&gt;</code>:</p>\n<pre><code>if a &lt; b:\n    run()\n</code></pre>\n"
    )


def test_emphasis_strikethrough_quote_and_tables_are_kept() -> None:
    assert render_markdown("**bold** *it* ~~gone~~\n\n> quoted\n\n| a | b |\n|---|---|\n| 1 | 2 |") == (
        "<p><strong>bold</strong> <em>it</em> <s>gone</s></p>\n<blockquote>\n<p>quoted</p>\n</blockquote>\n"
        "<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n"
        "<tbody>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>\n"
    )


def test_line_breaks_are_kept() -> None:
    assert (
        render_markdown("Asked the team.\nFix due Friday.") == "<p>Asked the team.<br>\nFix due Friday.</p>\n"
    )


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("[OWASP](https://owasp.org/)", f'<p><a href="https://owasp.org/" {REL}>OWASP</a></p>\n'),
        (
            '[t](http://example.com "Title")',
            f'<p><a href="http://example.com" title="Title" {REL}>t</a></p>\n',
        ),
        ("[mail](mailto:sec@example.com)", f'<p><a href="mailto:sec@example.com" {REL}>mail</a></p>\n'),
        (
            "<https://example.com/a>",
            f'<p><a href="https://example.com/a" {REL}>https://example.com/a</a></p>\n',
        ),
        ("[finding 3](/findings/3/)", f'<p><a href="/findings/3/" {REL}>finding 3</a></p>\n'),
    ],
)
def test_links_are_kept_and_marked_nofollow(text: str, html: str) -> None:
    assert render_markdown(text) == html


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"),
        ("<img src=x onerror=alert(1)>", "<p>&lt;img src=x onerror=alert(1)&gt;</p>\n"),
        (
            '<b>raw</b> <div onclick="go()">x</div>',
            '<p>&lt;b&gt;raw&lt;/b&gt; &lt;div onclick="go()"&gt;x&lt;/div&gt;</p>\n',
        ),
        ('<a href="javascript:alert(1)">x</a>', '<p>&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;</p>\n'),
        ("<!-- hidden -->", "<p>&lt;!-- hidden --&gt;</p>\n"),
    ],
)
def test_raw_html_is_escaped(text: str, html: str) -> None:
    assert render_markdown(text) == html


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>\n"),
        ("[x](JaVaScRiPt:alert(1))", "<p>[x](JaVaScRiPt:alert(1))</p>\n"),
        ("[x](jav&#x61;script:alert(1))", "<p>[x](javascript:alert(1))</p>\n"),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", "<p>[x](data:text/html;base64,PHNjcmlwdD4=)</p>\n"),
        ("[x](vbscript:msgbox)", "<p>[x](vbscript:msgbox)</p>\n"),
        ("<javascript:alert(1)>", "<p>&lt;javascript:alert(1)&gt;</p>\n"),
        ("[x][1]\n\n[1]: javascript:alert(1)", "<p>[x][1]</p>\n<p>[1]: javascript:alert(1)</p>\n"),
    ],
)
def test_script_and_data_links_are_not_links(text: str, html: str) -> None:
    assert render_markdown(text) == html


def test_a_scheme_markdown_allows_loses_its_href_to_the_sanitiser() -> None:
    # markdown-it accepts ftp: links; nh3's allow-list (http, https, mailto) drops the address.
    assert render_markdown("[file](ftp://example.com/x)") == f"<p><a {REL}>file</a></p>\n"


def test_images_stay_links_to_the_picture() -> None:
    assert render_markdown("![diagram](https://example.com/d.png)") == (
        f'<p>!<a href="https://example.com/d.png" {REL}>diagram</a></p>\n'
    )


def test_a_nul_byte_becomes_a_replacement_character() -> None:
    assert render_markdown("a\x00b") == "<p>a\ufffdb</p>\n"


def test_a_20000_character_comment_renders() -> None:
    # given: the longest comment the model allows, as one paragraph of words
    text = "word " * 4_000

    # when
    html = render_markdown(text)

    # then
    assert len(text) == 20_000
    assert html == "<p>" + text.strip() + "</p>\n"


def test_the_result_is_marked_safe_for_templates() -> None:
    assert isinstance(render_markdown("plain"), SafeString)
