"""Map the generic Norwegian language tags to bokmål.

Browsers set to Norwegian often send ``no`` or ``nn`` first; Django only knows
the languages in LANGUAGES (nb, en) and would skip them and pick English.
"""

import re

_NORWEGIAN = re.compile(r"(?<![\w-])(no|nn)(-NO)?(?=\s*(;|,|$))", re.IGNORECASE)


class NorwegianAcceptLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.META.get("HTTP_ACCEPT_LANGUAGE")
        if header:
            request.META["HTTP_ACCEPT_LANGUAGE"] = _NORWEGIAN.sub("nb", header)
        return self.get_response(request)
