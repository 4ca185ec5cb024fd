from django.urls import include, path, re_path

from django_project import views

urlpatterns = [
    path("", views.index),
    path("search", views.search),
    path("submit", views.submit),
    path("login", views.login),
    path("files/<path:name>", views.files),
    path("article/<int:pk>/", views.article),
    re_path(r"^archive/(?P<year>[0-9]{4})/$", views.archive),
    path("items/<slug:slug>/", views.ItemView.as_view()),
    path("shop/", include("django_project.shop_urls")),
]
