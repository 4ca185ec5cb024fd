from django.urls import path

from shop import views

urlpatterns = [
    path("", views.index),
    path("search", views.search),
    path("api/order", views.order),
    path("product/<int:pk>/", views.product),
]
