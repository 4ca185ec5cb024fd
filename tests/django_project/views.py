"""Views of the test project: what the tests need to see reach the application."""

from __future__ import annotations

import json

from django.http import HttpResponse, JsonResponse
from django.views import View


def index(request):
    return HttpResponse("home", headers={"X-App": "shop"})


def search(request):
    return JsonResponse({"q": request.GET.getlist("q"), "tags": request.GET.getlist("tags")})


def submit(request):
    files = {k: [f.name, f.read().decode("utf-8", "replace")] for k, f in request.FILES.items()}
    try:
        body = json.loads(request.body) if request.content_type == "application/json" else None
    except ValueError:
        body = None
    return JsonResponse(
        {
            "form": dict(request.POST.lists()),
            "files": files,
            "json": body,
            "length": None if request.content_type.startswith("multipart/") else len(request.body),
        }
    )


def login(request):
    if request.method == "POST":
        return HttpResponse("no", status=401)
    return HttpResponse("login form")


def files(request, name):
    return JsonResponse({"name": name})


def article(request, pk):
    return JsonResponse({"pk": pk})


def archive(request, year):
    return JsonResponse({"year": year})


def cart(request):
    return HttpResponse("cart")


def legacy(request, page=None):
    return HttpResponse(f"legacy {page}")


class ItemView(View):
    def get(self, request, slug):
        return JsonResponse({"slug": slug})
