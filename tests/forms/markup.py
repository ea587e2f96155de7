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
