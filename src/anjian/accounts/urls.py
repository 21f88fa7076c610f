from django.contrib.auth import views as auth_views
from django.urls import path

from anjian.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("otp/", views.otp, name="otp"),
    path("security/policy/", views.security_policy, name="policy"),
    path("security/lockouts/", views.lockouts, name="lockouts"),
    path("security/unlock/", views.unlock, name="unlock"),
    path("security/otp-reset/<int:user_id>/", views.otp_reset, name="otp_reset"),
]
