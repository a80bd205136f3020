"""Sáng kiến: the portal of the trade-union initiative campaigns."""
