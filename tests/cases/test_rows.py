"""The hot-path SQL of ``cases.services.rows`` gives and stores exactly what
the ORM would: the same values, the related objects cached, nothing lost on
the way in or out, on SQLite and on PostgreSQL."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models.signals import post_save, pre_save
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from guardian.shortcuts import get_perms

from cases.models import Case, CaseEvent, EventKind, ProcessDefinition, Task, TaskState
from cases.services import rows
from cases.services.rows import writes
from incidents.services import incident_report_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(definitions, people, report_data):
    return incident_report_submit(reporter=people["reporter"], data=report_data)


def _field_values(obj, exclude=()):
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields if f.name not in exclude
    }


def _normalised(values: dict) -> dict:
    # PostgreSQL gives a BinaryField as memoryview.
    return {k: bytes(v) if isinstance(v, memoryview) else v for k, v in values.items()}


def test_locked_case_matches_the_orm_by_case_and_by_task(case):
    expected = Case.objects.select_related("unit", "definition").get(pk=case.pk)
    task_id = case.tasks.get().pk
    for found in (rows.locked_case(case_id=case.pk), rows.locked_case(task_id=task_id)):
        assert _normalised(_field_values(found)) == _normalised(_field_values(expected))
        with CaptureQueriesContext(connection) as queries:
            assert found.unit.code == "ivt"
            assert found.definition.process_id == "incident"
            assert found.definition.content_hash == expected.definition.content_hash
        assert len(queries) == 0, "unit and definition come with the case"
        # The large definition columns are loaded only when asked for.
        assert {"spec_json", "sources", "forms"} <= found.definition.get_deferred_fields()
        assert found.definition.forms == expected.definition.forms
        # Its labels come along, so a step needs no query to compare them.
        assert found.__dict__[rows.LABELS] == rows.case_labels(case.pk) == {
            ("incident_type", "near_accident"), ("categories", "building"),
            ("categories", "personal_injury"),
        }


def test_a_case_without_labels_reads_an_empty_set(case):
    case.labels.all().delete()
    assert rows.locked_case(case_id=case.pk).__dict__[rows.LABELS] == set()


def test_locked_case_is_none_for_a_missing_case_or_task(case):
    assert rows.locked_case(case_id=case.pk + 1000) is None
    assert rows.locked_case(task_id=10**9) is None


def test_task_comes_with_its_candidate_group_and_the_open_tasks(case):
    task_id = case.tasks.get().pk
    expected = Task.objects.get(pk=task_id)
    found, open_tasks = rows.task_and_open_tasks(case.pk, task_id)
    assert _field_values(found) == _field_values(expected)
    assert open_tasks == [found] and open_tasks[0] is found, "one instance for both"
    with CaptureQueriesContext(connection) as queries:
        assert found.candidate_group.name == "hse_coordinator"
    assert len(queries) == 0
    assert rows.task_and_open_tasks(case.pk, 10**9) == (None, [found])


def test_a_closed_task_is_found_but_not_open(case):
    ready = case.tasks.get()
    closed = Task.objects.create(case=case, spiff_id="x", bpmn_id="old", name="Old",
                                 state=TaskState.COMPLETED)
    assert [t.pk for t in rows.open_tasks(case.pk)] == [ready.pk]
    found, open_tasks = rows.task_and_open_tasks(case.pk, closed.pk)
    assert found.pk == closed.pk and found.state == TaskState.COMPLETED
    assert [t.pk for t in open_tasks] == [ready.pk]


def test_a_task_of_another_case_is_not_found(case, people, report_data):
    other = incident_report_submit(reporter=people["reporter"], data=report_data)
    found, open_tasks = rows.task_and_open_tasks(case.pk, other.tasks.get().pk)
    assert found is None and [t.case_id for t in open_tasks] == [case.pk]


def test_insert_task_looks_its_group_up_by_name(case):
    def new_task(spiff_id, group_name):
        return rows.insert_task(
            Task(case=case, spiff_id=spiff_id, bpmn_id="b", name="N"), group_name=group_name
        )

    with_group = new_task("a", "hse_coordinator")
    stored = Task.objects.select_related("candidate_group").get(pk=with_group.pk)
    assert stored.candidate_group.name == "hse_coordinator"
    assert with_group.candidate_group_id == stored.candidate_group_id
    with CaptureQueriesContext(connection) as queries:
        assert with_group.candidate_group.name == "hse_coordinator"
    assert len(queries) == 0
    for spiff_id, group_name in (("b", "no_such_group"), ("c", None)):
        without = new_task(spiff_id, group_name)
        assert without.candidate_group is None
        assert Task.objects.get(pk=without.pk).candidate_group_id is None


def test_insert_stores_every_field_as_the_orm_reads_it(case, people):
    event = rows.insert(CaseEvent(
        case=case, kind=EventKind.STATUS, actor=people["coordinator"],
        data={"note": "æøå", "nested": {"n": [1, 2]}}, public=True,
    ))
    assert event.pk is not None and not event._state.adding
    stored = CaseEvent.objects.get(pk=event.pk)
    assert stored.data == {"note": "æøå", "nested": {"n": [1, 2]}}
    assert stored.public is True and stored.actor == people["coordinator"]
    assert stored.at is not None and abs(stored.at - timezone.now()) < timedelta(minutes=1)
    assert stored.at == event.at  # auto_now_add filled in, as save() would


def test_update_writes_every_field_or_only_those_named(case, people):
    locked = rows.locked_case(case_id=case.pk)
    locked.state = b"\x00\x01binary\xff"
    locked.severity = "serious"
    before = locked.updated_at
    rows.update(locked)
    stored = Case.objects.get(pk=case.pk)
    assert bytes(stored.state) == b"\x00\x01binary\xff"
    assert stored.severity == "serious"
    assert stored.updated_at >= before  # auto_now, as save() would

    task, _open = rows.task_and_open_tasks(case.pk, case.tasks.get().pk)
    task.state = TaskState.COMPLETED
    task.completed_by = people["coordinator"]
    task.completed_at = timezone.now()
    task.title_suffix = "not named, so not written"
    rows.update(task, ["state", "completed_by", "completed_at"])
    stored = Task.objects.get(pk=task.pk)
    assert stored.state == TaskState.COMPLETED
    assert stored.completed_by == people["coordinator"]
    assert stored.title_suffix == ""


def test_reference_numbers_count_per_prefix_and_year(db):
    assert [rows.next_reference_number("TST", 2026) for _ in range(3)] == [1, 2, 3]
    assert rows.next_reference_number("TST", 2027) == 1
    assert rows.next_reference_number("OTH", 2026) == 1
    assert rows.next_reference_number("TST", 2026) == 4


def test_grant_gives_the_object_permission_once(case, people):
    owner = people["owner"]
    assert "view_case" not in get_perms(owner, case)
    rows.grant_object_permission(owner.pk, "view_case", case)
    rows.grant_object_permission(owner.pk, "view_case", case)  # again: no error
    assert "view_case" in get_perms(owner, case)
    from guardian.models import UserObjectPermission

    assert UserObjectPermission.objects.filter(user=owner, object_pk=str(case.pk)).count() == 1


def test_small_lookups(case, people):
    assert rows.active_user_id("coordinator") == people["coordinator"].pk
    people["owner"].is_active = False
    people["owner"].save()
    assert rows.active_user_id("owner") is None
    assert rows.active_user_id("nobody") is None
    assert rows.case_labels(case.pk) == {
        ("incident_type", "near_accident"), ("categories", "building"),
        ("categories", "personal_injury"),
    }
    assert rows.unit_by_code("ivt").name == case.unit.name
    assert rows.unit_by_code("nope") is None
    latest = rows.latest_definition("incident")
    assert latest.pk == ProcessDefinition.objects.filter(process_id="incident").latest(
        "version").pk
    assert rows.latest_definition("no_such_process") is None


def test_no_save_signal_is_connected_for_the_rows_written_in_sql():
    """rows.insert/update send no model signals; a receiver connected for
    these models would silently not run, so there must be none."""
    from cases.models import CaseLabel

    for model in (Case, Task, CaseEvent, CaseLabel):
        for signal in (pre_save, post_save):
            assert not signal.has_listeners(model), (signal, model)


def test_plain_values_go_out_exactly_as_the_fields_prepare_them(case, people, time_machine):
    """The writes skip ``get_db_prep_save`` for plain values of plain fields;
    for every field of the rows a step writes the result is the same."""
    from django.db import connection as conn
    from django_tasks_db.models import DBTaskResult

    from cases.models import CaseLabel
    from cases.tasks import wake_case

    time_machine.move_to(timezone.now(), tick=False)
    task, _open = rows.task_and_open_tasks(case.pk, case.tasks.get().pk)
    task.state = TaskState.COMPLETED  # a choices enum, not a plain str
    task.completed_by = people["coordinator"]
    task.completed_at = timezone.now()
    samples = [
        rows.locked_case(case_id=case.pk),
        task,
        Task(case=case, spiff_id="s", bpmn_id="b", name="N", assignee_id=people["owner"].pk),
        CaseEvent(case=case, kind=EventKind.STATUS, actor=people["coordinator"],
                  data={"from": "running"}, public=True),
        CaseEvent(case=case, kind=EventKind.TIMER, data={}),
        CaseLabel(case=case, key="categories", value="building"),
        DBTaskResult(args_kwargs={"args": [1], "kwargs": {}}, task_path=wake_case.module_path,
                     backend_name="default", run_after=timezone.now()),
    ]
    def comparable(values):
        # psycopg's adapters (Binary, Jsonb) compare by identity: use what they wrap.
        return [getattr(value, "obj", value) for value in values]

    for obj in samples:
        fields = tuple(f for f in obj._meta.concrete_fields if not f.primary_key)
        for add in (True, False):
            expected = [f.get_db_prep_save(f.pre_save(obj, add), conn) for f in fields]
            found = writes._db_values(obj, fields, conn, add=add)
            assert comparable(found) == comparable(expected), type(obj)
    plain = {f.name for f in Task._meta.concrete_fields if writes._plain_type(f)}
    assert {"bpmn_id", "case", "assignee", "state"} <= plain
    assert not {"due_at", "created_at"} & plain


def test_update_of_a_read_case_writes_only_what_changed(case):
    locked = rows.locked_case(case_id=case.pk)
    # Written behind the instance's back: an UPDATE of every column would
    # put the old title back.
    Case.objects.filter(pk=case.pk).update(title="Changed elsewhere")
    locked.severity = "critical"
    with CaptureQueriesContext(connection) as queries:
        rows.update(locked)
    (sql,) = [q["sql"] for q in queries.captured_queries]
    assert '"severity"' in sql and '"updated_at"' in sql and '"title"' not in sql
    stored = Case.objects.get(pk=case.pk)
    assert (stored.title, stored.severity) == ("Changed elsewhere", "critical")
    with CaptureQueriesContext(connection) as queries:
        rows.update(locked)  # nothing changed since: only the auto_now column
    (sql,) = [q["sql"] for q in queries.captured_queries]
    assert '"severity"' not in sql and '"updated_at"' in sql


def test_insert_many_writes_in_one_statement_in_order(case):
    from cases.models import CaseLabel

    labels = [CaseLabel(case=case, key="k", value=str(n)) for n in range(3)]
    with CaptureQueriesContext(connection) as queries:
        rows.insert_many(labels)
    assert len(queries) == 1
    assert [label.pk for label in labels] == sorted(label.pk for label in labels)
    stored = dict(CaseLabel.objects.filter(key="k").values_list("pk", "value"))
    assert stored == {label.pk: label.value for label in labels}


def test_locked_case_with_tasks_reads_what_the_separate_reads_give(case):
    """One statement on SQLite, two on PostgreSQL: the same case, task and
    open tasks either way."""
    ready = case.tasks.get(bpmn_id="triage")
    closed = Task.objects.create(case=case, spiff_id="x", bpmn_id="old", name="Old",
                                 state=TaskState.COMPLETED)
    other = Task.objects.create(case=case, spiff_id="y", bpmn_id="other", name="Other")
    for task_id in (ready.pk, closed.pk, other.pk):
        locked, task, open_tasks = rows.locked_case_with_tasks(task_id)
        expected = rows.locked_case(task_id=task_id)
        expected_task, expected_open = rows.task_and_open_tasks(case.pk, task_id)
        assert _normalised(_field_values(locked)) == _normalised(_field_values(expected))
        assert locked.__dict__[rows.LABELS] == expected.__dict__[rows.LABELS]
        assert _field_values(task) == _field_values(expected_task)
        assert [t.pk for t in open_tasks] == [t.pk for t in expected_open] == [ready.pk, other.pk]
        assert all(t.case is locked for t in [task, *open_tasks])
        with CaptureQueriesContext(connection) as queries:
            assert open_tasks[0].candidate_group.name == "hse_coordinator"
            assert locked.unit.code == "ivt"
        assert len(queries) == 0
        if task.state == TaskState.READY:
            assert task in open_tasks and open_tasks[open_tasks.index(task)] is task


def test_locked_case_with_tasks_of_a_case_with_none_open(case):
    task = case.tasks.get()
    Task.objects.filter(pk=task.pk).update(state=TaskState.CANCELLED)
    locked, found, open_tasks = rows.locked_case_with_tasks(task.pk)
    assert locked.pk == case.pk and found.pk == task.pk and open_tasks == []
    assert rows.locked_case_with_tasks(10**9) == (None, None, [])
