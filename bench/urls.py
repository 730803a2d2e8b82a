"""The portal's URLs plus the load benchmark's baselines, kept out of the production urlconf:
``/bench/trivial/`` (a Django view that touches neither the database nor a template, shown as
context) and ``/bench/yardstick/<list>/`` (the same page of an API list served by a plain Django
view under the same authentication, ``bench/views.py``: the goal's yardstick)."""

from django.http import JsonResponse
from django.urls import include, path

from bench import views


def trivial(request):
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/trivial/", trivial),
    path("bench/yardstick/<slug:name>/", views.yardstick),
    path("", include("cap_portal.urls")),
]
