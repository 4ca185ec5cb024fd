import json

from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET, require_POST


def index(request):
    return HttpResponse("IronRASP demo shop (Django). Try /search?q=shoes or POST /api/order.\n")


@require_GET
def search(request):
    q = request.GET.get("q", "")
    return JsonResponse({"query": q, "results": [f"{q} (red)", f"{q} (blue)"] if q else []})


@require_POST
def order(request):
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"error": "bad json"}, status=400)
    return JsonResponse({"ok": True, "items": len(data.get("items", []))})


def product(request, pk):
    return JsonResponse({"id": pk, "name": f"product {pk}"})
