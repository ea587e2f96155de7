"""A tiny HTML reader for asserting on rendered forms without extra packages."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

FORM_CONTROLS = {"input", "select", "textarea"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    text: str = ""
    # Opening tags of enclosing elements, innermost last.
    ancestors: list["Element"] = field(default_factory=list)

    def has_class(self, name: str) -> bool:
        return name in (self.attrs.get("class") or "").split()


class _Reader(HTMLParser):
    VOID = {"input", "br", "hr", "img", "meta", "link"}

    def __init__(self):
        super().__init__()
        self.elements: list[Element] = []
        self.open: list[Element] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs), ancestors=list(self.open))
        self.elements.append(element)
        if tag not in self.VOID:
            self.open.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index].tag == tag:
                del self.open[index:]
                break

    def handle_data(self, data):
        for element in self.open:
            element.text += data


def parse(html: str) -> list[Element]:
    reader = _Reader()
    reader.feed(html)
    return reader.elements


def by_id(elements: list[Element], element_id: str) -> Element:
    matches = [e for e in elements if e.attrs.get("id") == element_id]
    assert len(matches) == 1, f"expected one element with id {element_id!r}, got {len(matches)}"
    return matches[0]


def controls(elements: list[Element]) -> list[Element]:
    """Visible form controls (hidden inputs need no label)."""
    return [e for e in elements if e.tag in FORM_CONTROLS and e.attrs.get("type") != "hidden"]


def control_named(elements: list[Element], name: str, value: str | None = None) -> Element:
    matches = [
        e
        for e in controls(elements)
        if e.attrs.get("name") == name and (value is None or e.attrs.get("value") == value)
    ]
    assert len(matches) == 1, f"expected one control {name}={value!r}, got {len(matches)}"
    return matches[0]


def describedby(element: Element) -> list[str]:
    return (element.attrs.get("aria-describedby") or "").split()


def label_for(elements: list[Element], element_id: str) -> Element:
    return next(e for e in elements if e.tag == "label" and e.attrs.get("for") == element_id)


def legend_of(elements: list[Element], fieldset: Element) -> Element:
    return next(e for e in elements if e.tag == "legend" and e.ancestors[-1:] == [fieldset])


IDREF_ATTRIBUTES = ("aria-describedby", "aria-errormessage", "aria-labelledby", "aria-controls",
                    "for")


def broken_idrefs(elements: list[Element]) -> list[str]:
    """References to ids that are not on the page (a screen reader then reads nothing)."""
    ids = {e.attrs.get("id") for e in elements}
    return [
        f"<{e.tag} {attr}={ref!r}>"
        for e in elements
        for attr in IDREF_ATTRIBUTES
        for ref in (e.attrs.get(attr) or "").split()
        if ref not in ids
    ]


def error_wiring_problems(html: str) -> list[str]:
    """A form sent back with errors, checked as a screen reader meets it
    (WCAG 1.3.1, 3.3.1, 4.1.2): every reference points at an element that is
    there; every error next to a field has an id, is linked from its field
    (or the field's fieldset) with aria-describedby, and that field says
    aria-invalid="true"; and an error summary leads the form, each entry a
    link to a field on the page. Empty when all is well."""
    elements = parse(html)
    problems = broken_idrefs(elements)
    errors = [e for e in elements if e.has_class("field-error") or e.has_class("errorlist")]
    for error in errors:
        error_id = error.attrs.get("id")
        label = f"error {error.text.strip()[:40]!r}"
        if not error_id:
            problems.append(f"{label} has no id")
            continue
        describing = [e for e in elements if error_id in describedby(e)]
        if not describing:
            problems.append(f"{label} (#{error_id}) is linked from no field")
        for owner in describing:
            fields = [owner] if owner.tag in FORM_CONTROLS else [
                e for e in controls(elements) if owner in e.ancestors]
            if not fields or any(f.attrs.get("aria-invalid") != "true" for f in fields):
                problems.append(f"{label}: its field is not aria-invalid")
    if errors:
        summaries = [e for e in elements if e.has_class("error-summary")]
        if not summaries:
            problems.append("no error summary")
        ids = {e.attrs.get("id") for e in elements}
        links = [e for e in elements if e.tag == "a" and any(s in e.ancestors for s in summaries)]
        if summaries and len(links) < len(errors):
            problems.append(f"the summary links {len(links)} of {len(errors)} errors")
        problems += [f"summary link to missing {a.attrs['href']}" for a in links
                     if (a.attrs.get("href") or "#")[1:] not in ids]
    return problems
