from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def home(request):
    """A short introduction with the way in for each role (see base.html's nav)."""
    return render(request, "home.html")


@require_GET
def accessibility(request):
    """What is tested for universal design and how to report a barrier: the
    material an institution writes its accessibility statement from."""
    return render(request, "accessibility.html")
