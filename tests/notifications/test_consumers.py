"""The live socket: session-authenticated, origin-checked, and a user hears
only events they may see."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from cases import services
from cases.models import Task, TaskState
from incidents.services import incident_report_submit
from varde.asgi import application

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


def session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}".encode()


async def connect(user, origin=b"http://testserver"):
    headers = [(b"origin", origin)]
    if user is not None:
        headers.append((b"cookie", await sync_to_async(session_cookie)(user)))
    communicator = WebsocketCommunicator(application, "/ws/live/", headers=headers)
    connected, _ = await communicator.connect()
    return communicator, connected


async def test_anonymous_and_foreign_origin_are_refused(people):
    communicator, connected = await connect(None)
    assert not connected
    communicator, connected = await connect(people["coordinator"], origin=b"http://evil.example")
    assert not connected


async def test_new_task_reaches_the_units_coordinators_only(definitions, people, report_data):
    ivt, _ = await connect(people["coordinator"])
    nv, _ = await connect(people["nv_coordinator"])
    stranger, _ = await connect(people["other_reporter"])
    await sync_to_async(incident_report_submit)(reporter=people["reporter"], data=report_data)
    message = await ivt.receive_json_from(timeout=2)
    assert message["type"] == "case_event"
    assert await nv.receive_nothing(timeout=0.3)
    assert await stranger.receive_nothing(timeout=0.3)
    for c in (ivt, nv, stranger):
        await c.disconnect()


async def test_reporter_hears_own_case_but_not_anothers(definitions, people, report_data):
    mine, _ = await connect(people["reporter"])
    other, _ = await connect(people["other_reporter"])
    case = await sync_to_async(incident_report_submit)(
        reporter=people["reporter"], data=report_data
    )
    triage = await sync_to_async(Task.objects.get)(case=case, bpmn_id="triage",
                                                   state=TaskState.READY)
    await sync_to_async(services.task_complete)(
        actor=people["coordinator"], task_id=triage.pk,
        data={"triage_decision": "reject", "rejection_reason": "Not HSE"},
    )
    kinds = set()
    while not await mine.receive_nothing(timeout=0.3):
        message = await mine.receive_json_from()
        kinds.add(message.get("kind") or message.get("type"))
    assert "status" in kinds
    assert await other.receive_nothing(timeout=0.3)
    await mine.disconnect()
    await other.disconnect()


async def test_case_subscription_requires_access(definitions, people, report_data):
    case = await sync_to_async(incident_report_submit)(
        reporter=people["reporter"], data=report_data
    )
    other, _ = await connect(people["other_reporter"])
    await other.send_json_to({"subscribe": "case", "reference": case.reference})
    assert await other.receive_json_from(timeout=2) == {"error": "not_found"}
    mine, _ = await connect(people["coordinator"])
    await mine.send_json_to({"subscribe": "case", "reference": case.reference})
    assert await mine.receive_json_from(timeout=2) == {"subscribed": "case"}
    await other.disconnect()
    await mine.disconnect()


async def test_claim_and_reassign_reach_colleagues_and_the_new_assignee(
    definitions, people, report_data
):
    """A colleague's queue hears the claim (the task leaves 'my groups' tasks');
    the new assignee hears the reassignment."""
    case = await sync_to_async(incident_report_submit)(
        reporter=people["reporter"], data=report_data
    )
    triage = await sync_to_async(Task.objects.get)(case=case, bpmn_id="triage",
                                                   state=TaskState.READY)
    colleague, _ = await connect(people["coordinator2"])
    leader, _ = await connect(people["leader"])
    await sync_to_async(services.task_claim)(actor=people["coordinator"], task_id=triage.pk)
    message = await colleague.receive_json_from(timeout=2)
    assert message == {"type": "case_event", "kind": "claimed", "case": case.pk,
                       "task": triage.pk}
    await sync_to_async(services.task_reassign)(
        actor=people["leader"], task_id=triage.pk, assignee=people["coordinator2"]
    )
    kinds = set()
    while not await colleague.receive_nothing(timeout=0.3):
        kinds.add((await colleague.receive_json_from())["kind"])
    assert "reassigned" in kinds
    await colleague.disconnect()
    await leader.disconnect()


async def test_case_page_hears_new_steps(definitions, people, report_data):
    case = await sync_to_async(incident_report_submit)(
        reporter=people["reporter"], data=report_data
    )
    page, _ = await connect(people["coordinator"])
    await page.send_json_to({"subscribe": "case", "reference": case.reference})
    assert await page.receive_json_from(timeout=2) == {"subscribed": "case"}
    triage = await sync_to_async(Task.objects.get)(case=case, bpmn_id="triage",
                                                   state=TaskState.READY)
    await sync_to_async(services.task_complete)(
        actor=people["coordinator2"], task_id=triage.pk,
        data={"triage_decision": "accept", "severity": "serious"},
    )
    kinds = set()
    while not await page.receive_nothing(timeout=0.3):
        kinds.add((await page.receive_json_from())["kind"])
    assert {"completed", "task_ready"} <= kinds
    await page.disconnect()


async def test_an_open_socket_checks_the_layer_and_stays_open_while_it_answers(
    people, monkeypatch
):
    from notifications import consumers

    monkeypatch.setattr(consumers, "LAYER_CHECK_SECONDS", 0.05)
    communicator, connected = await connect(people["coordinator"])
    assert connected
    assert await communicator.receive_nothing(timeout=0.5)  # pings came back: no close
    await communicator.disconnect()


async def test_an_open_socket_closes_with_4503_when_the_layer_fails(people, monkeypatch):
    from notifications import consumers

    monkeypatch.setattr(consumers, "LAYER_CHECK_SECONDS", 0.05)
    communicator, connected = await connect(people["coordinator"])
    assert connected

    async def layer_down(channel, message):
        raise ConnectionError("Redis is gone")

    layer = consumers.get_channel_layer()
    monkeypatch.setattr(layer, "send", layer_down)
    output = await communicator.receive_output(timeout=2)
    assert output == {"type": "websocket.close", "code": consumers.LAYER_UNAVAILABLE}
    await communicator.disconnect()
