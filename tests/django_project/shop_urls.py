from django.urls import path, re_path

from django_project import views

urlpatterns = [
    path("cart/", views.cart),
    # Not expressible segment by segment: declared as a catch-all under /shop/.
    re_path(r"^legacy(?:/(?P<page>\d+))?/$", views.legacy),
]
