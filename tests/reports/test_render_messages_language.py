"""The render's progress messages are in the language of the person who asked for it, not in the
worker's or the report's (issue 14 point 8: "Version 1 is ready." shown in English to a French
user)."""

import pytest

from portfolio.preferences import user_preference_set
from reports.choices import RenderState

from .conftest import make_report

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "ready"),
    [("fr", "La version 1 est prête."), ("es", "La versión 1 está lista."), ("en", "Version 1 is ready.")],
)
def test_the_finished_render_says_so_in_the_requesters_language(world, render_now, language, ready):
    user = world.users["case_manager"]
    user_preference_set(user=user, language=language)
    report = make_report([world.own], user=user)  # an English report
    job = render_now(report, user)
    assert job.state == RenderState.DONE
    assert job.message == ready
