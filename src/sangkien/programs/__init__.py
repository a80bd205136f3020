"""Programmes (chương trình): phases, windows, eligibility, limits, option lists, quotas — all configuration."""
