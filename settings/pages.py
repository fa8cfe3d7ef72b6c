"""The app's pages, listed once: ``dashboard.py`` builds the navigation from them, links name them, tests open them.

A page's ``id`` is its script's name in ``pages/`` and, as ``st.Page`` derives
it from the file name, its URL path; links carry it as ``page=<id>``. The
first page is the default one, served at the app's root.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    id: str
    title: str
    icon: str
    live_view: bool = False
    """The page draws the live view, whose first frame is the page's picture (``ui/liveview.py``)."""

    @property
    def script(self) -> str:
        """The page script's path, relative to the repository root (where ``dashboard.py`` is)."""
        return f"pages/{self.id}.py"


PAGES = (
    Page("train", "Train", ":material/model_training:", live_view=True),
    Page("output_gradients", "Output gradients", ":material/scatter_plot:"),
    Page("derivation", "Derivation", ":material/functions:"),
    Page("inside", "Inside the network", ":material/hub:"),
    Page("data", "Data", ":material/table_view:"),
    Page("replay", "Replay", ":material/replay:", live_view=True),
)
PAGE_IDS = tuple(page.id for page in PAGES)
DEFAULT_PAGE = PAGES[0].id


def page_at(url_path: str) -> Page:
    """The registered page served at ``url_path`` (``st.Page.url_path``: empty for the default page)."""
    return next((p for p in PAGES if p.id == url_path), PAGES[0])
