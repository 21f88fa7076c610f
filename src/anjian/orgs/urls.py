from django.urls import path

from anjian.orgs import views

app_name = "orgs"

urlpatterns = [
    path("units/", views.OrgUnitListView.as_view(), name="unit_list"),
    path("units/new/", views.OrgUnitEditView.as_view(), name="unit_add"),
    path("units/import/", views.EnterpriseImportView.as_view(), name="unit_import"),
    path("units/<int:pk>/", views.OrgUnitDetailView.as_view(), name="unit_detail"),
    path("units/<int:pk>/edit/", views.OrgUnitEditView.as_view(), name="unit_edit"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/new/", views.UserEditView.as_view(), name="user_add"),
    path("users/me/", views.my_profile, name="my_profile"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("users/<int:pk>/edit/", views.UserEditView.as_view(), name="user_edit"),
    path("users/<int:pk>/unmask-phone/", views.user_unmask_phone, name="user_unmask_phone"),
    path("users/<int:pk>/reset-password/", views.user_reset_password, name="user_reset_password"),
    path("role-assignments/", views.RoleAssignmentListView.as_view(), name="assignment_list"),
    path("role-assignments/grant/", views.role_grant, name="role_grant"),
    path("role-assignments/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
]
