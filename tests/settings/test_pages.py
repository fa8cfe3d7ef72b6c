"""settings.pages: the registry's facts about each page match the page scripts."""

from settings.pages import DEFAULT_PAGE, PAGES, page_at
from tests.helpers import ROOT


def test_live_view_marks_exactly_the_pages_that_draw_it():
    for page in PAGES:
        text = (ROOT / page.script).read_text("utf-8")
        assert page.live_view == ("liveview.show(" in text or "liveview.replay(" in text), page.id
    assert [p.id for p in PAGES if p.live_view] == ["train", "replay"]


def test_page_at_reads_st_pages_url_path():
    assert page_at("").id == DEFAULT_PAGE
    assert page_at("replay").id == "replay" and page_at("data").live_view is False
