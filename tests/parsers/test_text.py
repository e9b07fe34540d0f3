"""The text every finding shows: clipped, and free of control characters."""

from __future__ import annotations

import pytest

from bastion.parsers import text
from bastion.parsers.exceptions import MalformedReport


@pytest.mark.parametrize("code", [code for code in range(32) if chr(code) not in "\t\n\r"])
def test_clip_removes_each_control_character_wherever_it_stands(code: int) -> None:
    # given: the character alone, among ASCII, among other scripts, beside a lone surrogate
    control = chr(code)
    texts = [control, f"a{control}b", f"é{control}漢字{control}", f"\ud800{control}x" * 3]
    # when
    clipped = [text.clip(value) for value in texts]
    # then
    assert clipped == ["", "ab", "é漢字", "\ud800x" * 3]


def test_clip_keeps_tabs_line_breaks_and_every_other_character() -> None:
    # given
    value = "line 1\r\nline\t2\n" + "".join(chr(code) for code in range(32, 0x800)) + "\U0001f512"
    # when / then
    assert text.clip(value) == value


def test_clip_shortens_to_the_limit_with_an_ellipsis() -> None:
    assert text.clip("x" * 10, 4) == "xxx…"
    assert text.clip("x\x00" * 4, 4) == "xxxx"  # counted once the control characters are gone
    assert text.clip(None) == ""
    assert text.clip(12) == "12"


def test_clip_refuses_an_absurd_field() -> None:
    with pytest.raises(MalformedReport, match="longer than the limit"):
        text.clip("x" * (text.ABSURD_FIELD_CHARACTERS + 1))
