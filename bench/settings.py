"""The production settings plus the benchmark's reference views (never mounted in production)."""

from sangkien.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
