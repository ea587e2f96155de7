"""The schema_form.html template: accessibility wiring and re-rendering posted values."""

from unittest import mock

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from forms.builder import build_form

from .conftest import UNITS, user_exists
from .markup import by_id, control_named, controls, describedby, label_for, legend_of, parse


def render(form) -> list:
    return parse(render_to_string("forms/schema_form.html", {"form": form}))


@pytest.fixture
def invalid_report(report_schema, valid_report_post):
    data = {**valid_report_post, "title": "", "event_date": "not a date"}
    form = build_form(report_schema, data=data, choices={"units": UNITS})
    assert form.is_valid() is False
    return form


@pytest.mark.parametrize("name", ["report_schema", "triage_schema", "measures_schema"])
def test_every_control_has_a_label_for_it(request, name):
    form = build_form(
        request.getfixturevalue(name), choices={"units": UNITS}, user_exists=user_exists
    )
    elements = render(form)
    label_targets = {e.attrs.get("for") for e in elements if e.tag == "label"}

    assert controls(elements)
    for control in controls(elements):
        assert control.attrs.get("id") in label_targets, control.attrs


def test_form_renders_through_its_own_template(report_schema):
    """``{{ form }}`` uses schema_form.html, so callers can print the form directly."""
    form = build_form(report_schema, choices={"units": UNITS})

    assert 'class="form-field"' in str(form)


def test_invalid_field_is_marked_and_described_by_its_error(invalid_report):
    elements = render(invalid_report)
    title = control_named(elements, "title")
    error = by_id(elements, "id_title-error")

    assert title.attrs["aria-invalid"] == "true"
    assert "id_title-error" in describedby(title)
    assert error.tag == "p" and error.has_class("field-error")
    assert "This field is required." in error.text


def test_error_summary_links_to_every_invalid_field(invalid_report):
    elements = render(invalid_report)
    summary = next(e for e in elements if e.has_class("error-summary"))
    links = [e for e in elements if e.tag == "a" and summary in e.ancestors]

    assert summary.attrs["role"] == "alert"
    assert any(e.tag == "h2" and summary in e.ancestors for e in elements)
    assert {link.attrs["href"] for link in links} == {"#id_title", "#id_event_date"}
    for link in links:
        by_id(elements, link.attrs["href"][1:])


def test_no_error_summary_without_errors(report_schema):
    elements = render(build_form(report_schema, choices={"units": UNITS}))

    assert not any(e.has_class("error-summary") for e in elements)
    assert not any(e.attrs.get("aria-invalid") for e in elements)


def test_help_text_and_warning_are_linked_to_the_field(report_schema):
    elements = render(build_form(report_schema, choices={"units": UNITS}))
    description = control_named(elements, "description")
    unit = control_named(elements, "unit")

    assert describedby(description) == ["id_description-warning"]
    warning = by_id(elements, "id_description-warning")
    assert warning.has_class("warning")
    assert "Do not write health information" in warning.text
    assert describedby(unit) == ["id_unit-help"]
    assert by_id(elements, "id_unit-help").text == (
        "The unit where it happened or the unit you belong to."
    )


def test_required_fields_say_so_in_text_and_attribute(report_schema):
    elements = render(build_form(report_schema, choices={"units": UNITS}))
    building_label = label_for(elements, "id_building")
    room_label = label_for(elements, "id_room")

    assert "(required)" in building_label.text
    assert "required" in control_named(elements, "building").attrs
    assert "(required)" not in room_label.text
    assert "required" not in control_named(elements, "room").attrs


def test_radio_groups_are_fieldsets_with_described_options(triage_schema):
    form = build_form(triage_schema, data={"triage_decision": "accept"}, choices={"units": UNITS})
    assert form.is_valid() is False
    elements = render(form)
    critical = control_named(elements, "severity", "critical")
    fieldset = critical.ancestors[-2]

    assert fieldset.tag == "fieldset"
    assert "Severity" in legend_of(elements, fieldset).text
    assert describedby(fieldset) == ["id_severity-help", "id_severity-error"]
    assert critical.attrs["aria-invalid"] == "true"
    assert describedby(critical) == ["id_severity_0-description"]
    assert by_id(elements, "id_severity_0-description").text.startswith("Death or serious")


def test_a_failed_submit_keeps_every_value(report_schema, valid_report_post):
    data = {**valid_report_post, "title": "", "room": "A2-30", "immediate_action": "Taped off"}
    form = build_form(report_schema, data=data, choices={"units": UNITS})
    assert form.is_valid() is False
    elements = render(form)

    def checked(name, value=None):
        return "checked" in control_named(elements, name, value).attrs

    assert checked("incident_type", "near_accident")
    assert not checked("incident_type", "accident")
    assert checked("categories", "building") and checked("categories", "personal_injury")
    assert not checked("categories", "fire")
    assert checked("injury_potential") and not checked("injury_actual")
    assert checked("severity_suggested", "serious")
    assert control_named(elements, "event_date").attrs["value"] == "2025-03-14"
    assert control_named(elements, "room").attrs["value"] == "A2-30"
    assert control_named(elements, "immediate_action").text.strip() == "Taped off"
    unit = next(e for e in elements if e.tag == "option" and e.attrs.get("value") == "ivt")
    assert "selected" in unit.attrs


def test_a_failed_submit_keeps_repeated_rows(measures_schema):
    data = {
        "consequence": "",
        "cause": "Loose screws",
        "measures-1-title": "Fix handrail",
        "measures-1-owner": "owner",
        "measures-1-deadline": "2030-01-01",
        "measures-3-title": "Half a row",
    }
    form = build_form(measures_schema, data=data, user_exists=user_exists)
    assert form.is_valid() is False
    elements = render(form)

    assert control_named(elements, "measures-1-title").attrs["value"] == "Fix handrail"
    assert control_named(elements, "measures-1-owner").attrs["value"] == "owner"
    assert control_named(elements, "measures-1-deadline").attrs["value"] == "2030-01-01"
    assert control_named(elements, "measures-3-title").attrs["value"] == "Half a row"
    owner = control_named(elements, "measures-3-owner")
    assert owner.attrs["aria-invalid"] == "true"
    assert "id_measures-3-owner-error" in describedby(owner)


def test_rows_are_fieldsets_with_numbered_legends(measures_schema):
    elements = render(build_form(measures_schema, user_exists=user_exists))
    rows = [e for e in elements if e.tag == "fieldset" and e.has_class("row-group")]
    legends = [legend_of(elements, row).text.strip() for row in rows]

    assert legends == ["Row 1", "Row 2", "Row 3", "Row 4", "Row 5"]
    title = control_named(elements, "measures-0-title")
    assert rows[0] in title.ancestors
    # Blank rows are allowed, so row cells cannot carry the required attribute.
    assert "required" not in title.attrs


def test_json_shaped_initial_fills_rows_and_choices(measures_schema, triage_schema):
    initial = {"cause": "Wear", "measures": [{"title": "Fix", "deadline": "2030-01-01"}]}
    elements = render(build_form(measures_schema, initial=initial, user_exists=user_exists))

    assert control_named(elements, "measures-0-title").attrs["value"] == "Fix"
    assert control_named(elements, "measures-0-deadline").attrs["value"] == "2030-01-01"
    elements = render(
        build_form(triage_schema, initial={"severity": "serious"}, choices={"units": UNITS})
    )
    assert "checked" in control_named(elements, "severity", "serious").attrs


def test_schema_strings_are_translated_when_rendered(report_schema):
    """Labels are looked up at render time, in the language active then."""
    form = build_form(report_schema, choices={"units": UNITS})

    def shout(message):
        return message.upper()

    with mock.patch.object(translation._trans, "gettext", shout):
        html = render_to_string("forms/schema_form.html", {"form": form})

    assert "SHORT SUMMARY" in html
    assert "NEAR ACCIDENT" in html
    assert "DO NOT WRITE HEALTH INFORMATION" in html
    assert "Short summary" in render_to_string("forms/schema_form.html", {"form": form})
