"""The complaint's policy: the office page and the API offer what the services accept."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from motcua.feedback import policy, services
from motcua.feedback.models import Feedback, Status
from tests.factories import accepted
from tests.feedback.factories import MONDAY_9, make_feedback

pytestmark = pytest.mark.django_db

#: The office's form for each action of the detail page.
FORM_URL = {
    policy.CLASSIFY: "office:feedback_classify",
    policy.ANSWER: "office:feedback_answer",
    policy.CLOSE: "office:feedback_close",
    policy.RETURN: "office:feedback_return",
    policy.PUBLISH: "office:feedback_publish",
}


def test_the_policy_speaks_the_models_values():
    assert {policy.NEW, policy.CLASSIFIED, policy.FORWARDED, policy.ANSWERED, policy.CLOSED} == set(
        Status.values
    )


def tries(item: Feedback, actor, unit_code: str) -> dict[str, Callable[[], object]]:
    pk = item.pk
    return {
        policy.CLASSIFY: lambda: services.classify_feedback(
            feedback_id=pk, actor=actor, category="delay", in_scope=True, unit_code=unit_code
        ),
        policy.ANSWER: lambda: services.answer_feedback(
            feedback_id=pk, actor=actor, answer="Đã xử lý."
        ),
        policy.CLOSE: lambda: services.close_feedback(feedback_id=pk, actor=actor),
        policy.RETURN: lambda: services.return_feedback(
            feedback_id=pk, actor=actor, note="Chưa rõ."
        ),
        policy.PUBLISH: lambda: services.publish_feedback(
            feedback_id=pk, actor=actor, published=not item.published
        ),
    }


def test_every_persona_sees_exactly_the_buttons_the_services_accept(client, office):
    new, classified, answered = (make_feedback(actor=office.receptionist) for _ in range(3))
    for item in (classified, answered):
        services.classify_feedback(
            feedback_id=item.pk,
            actor=office.supervisor,
            category="delay",
            in_scope=True,
            unit_code=office.ward.code,
            now=MONDAY_9,
        )
    services.answer_feedback(feedback_id=answered.pk, actor=office.leader, answer="Đã xử lý.")
    people = [
        office.receptionist,
        office.specialist,
        office.head,
        office.leader,
        office.supervisor,
        office.outsider,
    ]
    mismatches = []
    offered_somewhere = set()
    for person in people:
        client.force_login(person)
        for item in (new, classified, answered):
            item.refresh_from_db()
            page = client.get(reverse("office:feedback_detail", args=[item.pk]))
            api = client.get(f"/api/v1/feedback/{item.pk}")
            ok = {a for a, call in tries(item, person, office.ward.code).items() if accepted(call)}
            if page.status_code == 404:
                if api.status_code != 404 or ok:
                    mismatches.append(f"{person.username} × {item.status}: 404 but {ok}")
                continue
            buttons = {
                a
                for a, name in FORM_URL.items()
                if f'action="{reverse(name, args=[item.pk])}"' in page.text
            }
            offered = set(api.json()["allowed_actions"])
            offered_somewhere |= offered
            if not buttons == offered == ok:
                mismatches.append(f"{person.username} × {item.status}: {buttons} {offered} {ok}")
    assert mismatches == []
    assert offered_somewhere == set(policy.ACTIONS)
