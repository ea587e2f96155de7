from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def home(request):
    """A short introduction with the way in for each role (see base.html's nav)."""
    return render(request, "home.html")
