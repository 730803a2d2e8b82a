from django.contrib import admin
from rest_framework.authtoken.models import TokenProxy

# DRF's plain-text tokens are not used (accounts.ApiToken replaces them): not offered in the admin.
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)
