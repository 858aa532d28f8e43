"""A worker loads its views, templates and languages before it serves (koers.core.warmup)."""

import gc

from django.template import engines

from koers.core.warmup import load_and_freeze


def test_every_template_of_koers_is_parsed_and_the_start_up_frozen() -> None:
    try:
        load_and_freeze()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    loader = engines["django"].engine.template_loaders[0]  # type: ignore[attr-defined]
    names = {str(key) for key in loader.get_template_cache}
    assert {"base.html", "rollout/board.html", "decisions/log.html"} <= names
