from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from org.services import language_set
from varde.languages import or_default, set_cookie


@require_GET
def home(request):
    """A short introduction with the way in for each role (see base.html's nav)."""
    return render(request, "home.html")


@require_GET
def accessibility(request):
    """What is tested for universal design and how to report a barrier: the
    material an institution writes its accessibility statement from."""
    return render(request, "accessibility.html")


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: a form refused by the CSRF check (cookies
    blocked, a page left open too long, a cookie lost on a shared PC) gets a
    Varde page in the person's language, with the switcher, instead of
    Django's developer page. ``reason`` is Django's text for developers and
    can quote the Origin or Referer header: it is neither shown nor logged
    here (anonymous routes keep no client detail, varde/anonymity.py; Django
    logs the refusal itself, through that module's filter)."""
    return render(request, "403_csrf.html", status=403)


@require_POST
def set_language(request):
    """The language switcher (replaces Django's ``set_language``).

    The device keeps the choice in the language cookie; a signed-in person's
    choice is also kept on their profile, so it follows them to every device
    and governs what Varde sends them. A code Varde does not speak is bokmål.
    """
    language = or_default(request.POST.get("language"))
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    set_cookie(response, language)
    if request.user.is_authenticated:
        language_set(user=request.user, language=language)
    return response
