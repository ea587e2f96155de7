"""Checks for universal design on a live page (WCAG 2.2 AA), shared by the
browser walks: axe-core's rules, reflow at the device width, id references,
target sizes, focus after a failed submit, and focus never hidden.

axe-core comes from the PyPI package axe-playwright-python (its bundled
axe.min.js, pinned through pyproject.toml), so no Node is needed.
"""

from pathlib import Path

PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 900}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_script() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text("utf-8")


def phone_context(browser, locale):
    """A touch phone 320 CSS px wide (mobile emulation, as on a real phone)."""
    return browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale=locale
    )


def desktop_context(browser, locale):
    return browser.new_context(viewport=DESKTOP, locale=locale)


def axe_violations(page, script) -> list[str]:
    """axe-core's WCAG 2.0/2.1/2.2 A and AA violations, one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # add_script_tag would be refused by the #metoo pages' strict CSP.
        page.evaluate(script)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
    ]


def overflow(page, width) -> int:
    """How many CSS px the page is wider than the device (0: no sideways
    scrolling). Under mobile emulation innerWidth grows with the content, so
    compare with the device width."""
    return max(0, page.evaluate("document.documentElement.scrollWidth") - width)


BROKEN_IDREFS = """() => {
  const broken = [];
  for (const attr of ['aria-describedby', 'aria-errormessage', 'aria-labelledby',
                      'aria-controls', 'for']) {
    for (const el of document.querySelectorAll('[' + attr + ']')) {
      for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) broken.push(attr + '=' + id);
      }
    }
  }
  return broken;
}"""

SMALL_MAIN_ACTIONS = """() => [...document.querySelectorAll(
    'main button.button:not(.button--small), main .button[type=submit]:not(.button--small)')]
  .filter(b => b.offsetParent !== null)
  .map(b => [b.textContent.trim(), b.getBoundingClientRect()])
  .filter(([, r]) => r.height < 44 || r.width < 44)
  .map(([t, r]) => t + ' ' + Math.round(r.width) + '×' + Math.round(r.height))"""


WIDE_ELEMENTS = """width => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > width + 0.5
                && ![...el.children].some(c => c.getBoundingClientRect().right > width + 0.5))
  .sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right)
  .slice(0, 3)
  .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
             + (el.className && typeof el.className === 'string' ? '.' + el.className : '')
             + ' ' + JSON.stringify((el.textContent || '').trim().slice(0, 30))
             + ' ' + Math.round(el.getBoundingClientRect().right) + ' px')"""


def page_problems(page, script, width) -> list[str]:
    """Everything found on the page now, labelled; empty when all is well."""
    problems = [f"axe {line}" for line in axe_violations(page, script)]
    extra = overflow(page, width)
    if extra:
        wide = ", ".join(page.evaluate(WIDE_ELEMENTS, width))
        problems.append(f"{extra} px wider than the {width} px screen ({wide})")
    problems += [f"missing id: {ref}" for ref in page.evaluate(BROKEN_IDREFS)]
    problems += [f"main action under 44 px: {b}" for b in page.evaluate(SMALL_MAIN_ACTIONS)]
    problems += [f"target under 24 px: {t}" for t in page.evaluate(SMALL_TARGETS)]
    return [f"{page.url}: {problem}" for problem in problems]


def focused_summary(page) -> bool:
    """After a failed submit: focus is on the (announced) list of problems."""
    return page.evaluate(
        "() => !!document.activeElement && document.activeElement.matches("
        "'.error-summary, .message--error[role=alert]')"
    )


HIDDEN_FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const r = el.getBoundingClientRect();
  if (r.width === 0 && r.height === 0) return null;
  const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(r.top + Math.min(r.height, 20) / 2, 0), innerHeight - 1);
  const top = document.elementFromPoint(x, y);
  const label = el.id ? '#' + el.id : el.tagName + ' ' + (el.textContent || '').trim().slice(0, 30);
  if (r.bottom < 0 || r.top > innerHeight) return label + ' off screen';
  const labels = el.labels ? [...el.labels] : [];
  if (top && (top === el || el.contains(top) || top.contains(el) || labels.includes(top))) {
    return null;
  }
  return label + ' covered by ' + (top ? top.tagName + '.' + top.className : 'nothing');
}"""


def hidden_focus_stops(page, stops=40) -> list[str]:
    """Tab through the page: no focused element may be hidden by other
    content (WCAG 2.4.11 Focus not obscured)."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    page.evaluate("window.scrollTo(0, 0)")
    hidden = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        found = page.evaluate(HIDDEN_FOCUS)
        if found:
            hidden.append(found)
    return hidden


PASTE_ALLOWED = """selector => {
  const el = document.querySelector(selector);
  const data = new DataTransfer();
  data.setData('text/plain', '123456');
  const event = new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true});
  return el.dispatchEvent(event) && !el.hasAttribute('onpaste');
}"""


def paste_allowed(page, selector) -> bool:
    """No script refuses a paste into the field (WCAG 3.3.8)."""
    return page.evaluate(PASTE_ALLOWED, selector)


SMALL_TARGETS = """() => [...document.querySelectorAll(
    'button, input[type=submit], input[type=button], input[type=checkbox], input[type=radio],'
    + ' select, summary')]
  .filter(el => el.offsetParent !== null)
  .map(el => [el, el.getBoundingClientRect()])
  .filter(([, r]) => r.width < 24 || r.height < 24)
  .map(([el, r]) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' '
       + (el.textContent || el.name || '').trim().slice(0, 30) + ' '
       + Math.round(r.width) + '×' + Math.round(r.height))"""


def small_targets(page) -> list[str]:
    """Buttons and controls under 24 × 24 CSS px (WCAG 2.2 2.5.8 target size)."""
    return page.evaluate(SMALL_TARGETS)
