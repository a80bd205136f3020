"""Demonstration data for `make run`: an open programme, demo units and the three demo officers."""
