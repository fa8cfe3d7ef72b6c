"""Untrusted text made inert before it reaches an element that renders Markdown."""

from __future__ import annotations

import re


def escape_markdown(text: str) -> str:
    """``text`` on one line with every ASCII punctuation mark backslash-escaped.

    CommonMark lets any ASCII punctuation be escaped, so links, images, emphasis,
    HTML, Streamlit's ``:colour[...]`` directives and ``$`` maths all come out as
    typed. Runs of white space (newlines included) become one space.
    """
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", " ".join(str(text).split()))
