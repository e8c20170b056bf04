"""The site's settings plus the benchmark's floor view; used only by `make bench`."""

from pressoffice.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
