"""Cleaning and cleaned_json() of forms built from schemas.

Covers: required errors on the right field, enum choices, x-choices-from,
x-required-if, dates not in the future, the username check, repeated rows,
the final jsonschema pass, and the types cleaned_json() returns.
"""

import datetime
import json

import pytest
from django.utils import timezone

from forms.builder import build_form
from forms.fields import FormSchemaError

from .conftest import UNITS, user_exists


def report_form(schema, data):
    return build_form(schema, data=data, choices={"units": UNITS})


def test_missing_required_values_are_reported_on_their_own_fields(report_schema, valid_report_post):
    """Each missing required value gets "This field is required." on its field only."""
    data = {**valid_report_post, "title": "", "campus": ""}
    form = report_form(report_schema, data)

    assert form.is_valid() is False
    assert form.errors["title"] == ["This field is required."]
    assert form.errors["campus"] == ["This field is required."]
    assert set(form.errors) == {"title", "campus"}


def test_a_complete_report_is_valid(report_schema, valid_report_post):
    form = report_form(report_schema, valid_report_post)

    assert form.is_valid(), form.errors


def test_enum_choices_and_labels_come_from_the_schema(report_schema):
    """Options are the schema's enum, labelled by x-enum-labels."""
    form = report_form(report_schema, None)

    assert list(form.fields["incident_type"].choices) == [
        ("dangerous_condition", "Dangerous condition or observation"),
        ("near_accident", "Near accident"),
        ("accident", "Accident"),
        ("improvement", "Improvement proposal"),
    ]
    values = [value for value, _ in form.fields["categories"].choices]
    assert values == report_schema["properties"]["categories"]["items"]["enum"]


def test_a_value_outside_the_enum_is_refused(report_schema, valid_report_post):
    form = report_form(report_schema, {**valid_report_post, "incident_type": "explosion"})

    assert form.is_valid() is False
    assert list(form.errors) == ["incident_type"]


def test_optional_radio_group_offers_not_specified(report_schema):
    """A picked radio cannot be unpicked without JavaScript, so optional groups get an out."""
    form = report_form(report_schema, None)

    assert list(form.fields["severity_suggested"].choices)[-1] == ("", "Not specified")
    assert ("", "Not specified") not in list(form.fields["incident_type"].choices)


def test_choices_from_the_caller_fill_x_choices_from(report_schema, valid_report_post):
    form = report_form(report_schema, {**valid_report_post, "unit": "unknown"})

    assert [value for value, _ in form.fields["unit"].choices] == ["", "ivt", "nv"]
    assert form.is_valid() is False
    assert list(form.errors) == ["unit"]


def test_missing_caller_choices_fail_loudly(report_schema):
    with pytest.raises(FormSchemaError, match="units"):
        build_form(report_schema)


@pytest.mark.parametrize(
    ("decision", "missing_field"),
    [("accept", "severity"), ("transfer", "transfer_to"), ("reject", "rejection_reason")],
)
def test_x_required_if_requires_the_dependent_field(triage_schema, decision, missing_field):
    """The dependent field, not the deciding one, carries the error."""
    form = build_form(triage_schema, data={"triage_decision": decision}, choices={"units": UNITS})

    assert form.is_valid() is False
    assert form.errors == {missing_field: ["This field is required."]}


def test_x_required_if_does_not_apply_for_other_values(triage_schema):
    form = build_form(
        triage_schema,
        data={"triage_decision": "transfer", "transfer_to": "nv"},
        choices={"units": UNITS},
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_json()["transfer_to"] == "nv"
    assert "severity" not in form.cleaned_json()


def test_a_date_in_the_future_is_refused(report_schema, valid_report_post):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    form = report_form(report_schema, {**valid_report_post, "event_date": tomorrow.isoformat()})

    assert form.is_valid() is False
    assert form.errors["event_date"] == ["The date cannot be in the future."]


def test_today_is_not_in_the_future(report_schema, valid_report_post):
    today = timezone.localdate().isoformat()
    form = report_form(report_schema, {**valid_report_post, "event_date": today})

    assert form.is_valid(), form.errors
    assert form.cleaned_json()["event_date"] == today


def test_the_norwegian_date_format_is_accepted_as_a_fallback(report_schema, valid_report_post):
    form = report_form(report_schema, {**valid_report_post, "event_date": "14.03.2025"})

    assert form.is_valid(), form.errors
    assert form.cleaned_json()["event_date"] == "2025-03-14"


def measures_post(**rows):
    data = {"consequence": "A fall", "cause": "Loose screws"}
    for key, value in rows.items():
        data[key.replace("_", "-", 2)] = value
    return data


def measures_form(schema, data):
    return build_form(schema, data=data, user_exists=user_exists)


def test_an_unknown_username_is_refused(measures_schema):
    data = measures_post(
        measures_0_title="Fix handrail", measures_0_owner="nobody", measures_0_deadline="2030-01-01"
    )
    form = measures_form(measures_schema, data)

    assert form.is_valid() is False
    assert form.errors == {"measures-0-owner": ["No user with this username."]}


def test_a_username_field_without_a_check_is_a_schema_error(measures_schema):
    with pytest.raises(FormSchemaError, match="user_exists"):
        build_form(measures_schema)


def test_blank_rows_are_dropped_and_filled_rows_kept_in_order(measures_schema):
    data = measures_post(
        measures_1_title="Fix handrail",
        measures_1_owner="owner",
        measures_1_deadline="2030-01-01",
        measures_3_title="Inspect stairs",
        measures_3_owner="coordinator",
        measures_3_deadline="2030-02-01",
    )
    form = measures_form(measures_schema, data)

    assert form.is_valid(), form.errors
    assert form.cleaned_json()["measures"] == [
        {"title": "Fix handrail", "owner": "owner", "deadline": "2030-01-01"},
        {"title": "Inspect stairs", "owner": "coordinator", "deadline": "2030-02-01"},
    ]


def test_a_partly_filled_row_gets_errors_on_its_missing_fields(measures_schema):
    """Errors land on the posted row (row 3), even though blank rows before it are dropped."""
    data = measures_post(
        measures_0_title="Fix handrail",
        measures_0_owner="owner",
        measures_0_deadline="2030-01-01",
        measures_2_title="Inspect stairs",
    )
    form = measures_form(measures_schema, data)

    assert form.is_valid() is False
    assert form.errors == {
        "measures-2-owner": ["This field is required."],
        "measures-2-deadline": ["This field is required."],
    }


def test_no_rows_at_all_gives_an_empty_list(measures_schema):
    form = measures_form(measures_schema, measures_post())

    assert form.is_valid(), form.errors
    assert form.cleaned_json()["measures"] == []


ROWS_SCHEMA = {
    "type": "object",
    "properties": {
        "people": {
            "type": "array",
            "title": "People",
            "minItems": 2,
            "x-rows": 3,
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "title": "Name"},
                    "present": {"type": "boolean", "title": "Present"},
                },
                "required": ["name"],
            },
        }
    },
}


def test_min_items_of_rows_is_a_group_error():
    form = build_form(ROWS_SCHEMA, data={"people-0-name": "Kari"})

    assert len(form.fields) == 6
    assert form.is_valid() is False
    assert form.errors == {"people": ["Fill in at least 2 rows."]}


def test_an_unticked_box_alone_leaves_a_row_blank():
    form = build_form(
        ROWS_SCHEMA,
        data={"people-0-name": "Kari", "people-1-present": "on", "people-1-name": "Ola"},
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_json()["people"] == [
        {"name": "Kari", "present": False},
        {"name": "Ola", "present": True},
    ]


def test_jsonschema_rules_without_a_django_equivalent_are_enforced():
    """The schema is the source of truth: a ``pattern`` error lands on its field."""
    schema = {
        "type": "object",
        "properties": {"code": {"type": "string", "title": "Code", "pattern": "^[A-Z]+$"}},
    }
    form = build_form(schema, data={"code": "abc"})

    assert form.is_valid() is False
    assert form.errors == {"code": ["Enter a valid value."]}


def test_jsonschema_required_rules_land_on_the_missing_field():
    schema = {
        "type": "object",
        "properties": {
            "email": {"type": "string", "title": "E-mail"},
            "phone": {"type": "string", "title": "Phone"},
        },
        "dependentRequired": {"email": ["phone"]},
    }
    form = build_form(schema, data={"email": "a@example.org"})

    assert form.is_valid() is False
    assert form.errors == {"phone": ["This field is required."]}


def test_jsonschema_errors_about_the_whole_form_are_non_field_errors():
    schema = {
        "type": "object",
        "properties": {"a": {"type": "string", "title": "A"}, "b": {"type": "string"}},
        "minProperties": 1,
    }
    form = build_form(schema, data={})

    assert form.is_valid() is False
    assert form.non_field_errors() == ["Enter a valid value."]


def test_cleaned_json_types_and_empty_values():
    """Dates are ISO strings, booleans bools, arrays lists; empty scalars are omitted."""
    schema = {
        "type": "object",
        "properties": {
            "when": {"type": "string", "format": "date"},
            "note": {"type": "string"},
            "count": {"type": "integer", "minimum": 0},
            "share": {"type": "number"},
            "flag": {"type": "boolean"},
            "off": {"type": "boolean"},
            "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}},
            "none": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}},
            "level": {"type": "string", "enum": ["low", "high"]},
        },
    }
    data = {"when": "2025-01-31", "note": "", "count": "3", "share": "0.5", "flag": "on"}
    form = build_form(schema, data={**data, "tags": ["b", "a"]})

    assert form.is_valid(), form.errors
    result = form.cleaned_json()
    assert result == {
        "when": "2025-01-31",
        "count": 3,
        "share": 0.5,
        "flag": True,
        "off": False,
        "tags": ["b", "a"],
        "none": [],
    }
    assert type(result["count"]) is int
    assert json.loads(json.dumps(result)) == result


def test_integer_limits_come_from_the_schema():
    schema = {"type": "object", "properties": {"n": {"type": "integer", "maximum": 3}}}
    form = build_form(schema, data={"n": "4"})

    assert form.is_valid() is False
    assert list(form.errors) == ["n"]


def test_cleaned_json_is_refused_for_an_invalid_form(report_schema):
    form = report_form(report_schema, {})

    with pytest.raises(ValueError):
        form.cleaned_json()


def test_prefix_is_applied_to_every_posted_name(measures_schema):
    form = build_form(
        measures_schema,
        data={"task-consequence": "A fall", "task-cause": "Loose screws"},
        user_exists=user_exists,
        prefix="task",
    )

    assert form.is_valid(), form.errors
    assert form["measures-0-title"].html_name == "task-measures-0-title"


def test_property_names_the_template_reads_are_refused():
    schema = {"type": "object", "properties": {"layout": {"type": "string"}}}

    with pytest.raises(FormSchemaError, match="layout"):
        build_form(schema)


def test_prefilled_rows_beyond_x_rows_are_all_shown():
    """A reopened case can have more measures than x-rows; none is dropped."""
    from forms.builder import build_form

    schema = {
        "type": "object",
        "properties": {
            "measures": {
                "type": "array", "x-rows": 2,
                "items": {"type": "object", "properties": {"title": {"type": "string"}}},
            }
        },
    }
    initial = {"measures": [{"title": f"M{i}"} for i in range(4)]}
    html = str(build_form(schema, initial=initial))
    for i in range(4):
        assert f'value="M{i}"' in html
    assert "measures-5-title" in html
