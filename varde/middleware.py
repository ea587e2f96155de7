"""Which language a request is answered in.

``NorwegianAcceptLanguageMiddleware`` (before LocaleMiddleware): browsers set
to Norwegian often send the generic ``no``, which Django does not know and
would skip for English; it means bokmål here. ``nn``/``nn-NO`` is nynorsk and
``nb``/``nb-NO`` bokmål, as Django reads them.

``ProfileLanguageMiddleware`` (after AuthenticationMiddleware): a signed-in
person's pages are in the language on their profile (org.Profile), on every
device, whatever the device's cookie says; the cookie is brought in line so
the device keeps the language after signing out. Without a choice on the
profile, LocaleMiddleware's answer (cookie, ``Accept-Language``, bokmål)
stands. A stored code Varde does not speak counts as bokmål.
"""

import re

from django.conf import settings
from django.utils import translation

from varde.languages import set_cookie
from varde.unavailable import DATABASE_ERRORS

_GENERIC_NORWEGIAN = re.compile(r"(?<![\w-])no(-NO)?(?=\s*(;|,|$))", re.IGNORECASE)


class NorwegianAcceptLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.META.get("HTTP_ACCEPT_LANGUAGE")
        if header:
            request.META["HTTP_ACCEPT_LANGUAGE"] = _GENERIC_NORWEGIAN.sub("nb", header)
        return self.get_response(request)


class ProfileLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = self._profile_language(request)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        cookie = settings.LANGUAGE_COOKIE_NAME
        if (language and request.COOKIES.get(cookie) != language
                and cookie not in response.cookies):
            set_cookie(response, language)
        return response

    @staticmethod
    def _profile_language(request) -> str | None:
        from org.models import Profile
        from org.selectors import language_chosen

        user = getattr(request, "user", None)
        try:
            if user is None or not user.is_authenticated:
                return None
            profile = user.profile
        except Profile.DoesNotExist:
            return None
        except DATABASE_ERRORS:
            # The database is gone: the view meets it too and answers 503 in
            # the cookie's language (varde/unavailable.py).
            return None
        if not profile.language:
            return None
        # A stored code Varde no longer speaks (or never did): bokmål.
        return language_chosen(user=user) or settings.LANGUAGE_CODE
