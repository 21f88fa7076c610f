"""Settings for the test suite: the environment-driven settings with faster hashing and a synchronous queue."""

import os
import tempfile

os.environ.setdefault("ANJIAN_SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("ANJIAN_HTTPS", "false")
os.environ.setdefault("ANJIAN_QUEUE_URL", "memory://")
os.environ.setdefault("ANJIAN_QUEUE_IMMEDIATE", "true")

from anjian.config.settings import *  # noqa: E402,F403

# Hashing cost is not what the tests examine; MD5 keeps thousands of logins fast.
# PBKDF2 stays second, so a database made with the production settings (the browser tests' demo
# copy) still accepts its passwords.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", "django.contrib.auth.hashers.PBKDF2PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
# Uploaded files of the test run go to a throwaway directory.
MEDIA_ROOT = tempfile.mkdtemp(prefix="anjian-test-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="anjian-test-static-")
# A test-only app with a real model (and migrations) to exercise the shared workflow,
# numbering, notification and escalation machinery of anjian.common.
INSTALLED_APPS = [*INSTALLED_APPS, "anjian.common.tests.workflowapp"]  # noqa: F405
ROOT_URLCONF = "anjian.common.tests.workflowapp.urls"
