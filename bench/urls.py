"""The portal's URLs plus ``/bench/trivial/``: the baseline of the load benchmark (a Django view
that touches neither the database nor a template), kept out of the production urlconf."""

from django.http import JsonResponse
from django.urls import include, path


def trivial(request):
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/trivial/", trivial),
    path("", include("cap_portal.urls")),
]
