"""A plain-text progress bar on stderr, one per step:

    initiatives  1,234,000/2,500,000 [#####-----]  49% 41 s, ~42 s left

On a terminal the line is redrawn in place; otherwise (a log, CI) a line is written every few
seconds, so a long run shows it is alive without flooding the log.
"""

import sys
import time

WIDTH = 30


class Progress:
    def __init__(self, name: str, total: int, stream=None):
        self.name = name
        self.total = max(total, 0)
        self.stream = stream or sys.stderr
        self.tty = getattr(self.stream, "isatty", lambda: False)()
        self.started = time.perf_counter()
        self.shown = 0.0 if self.tty else self.started  # a log gets its first line after 10 s
        self.done = 0

    def _line(self, done: int) -> str:
        elapsed = time.perf_counter() - self.started
        share = done / self.total if self.total else 1.0
        filled = int(WIDTH * share)
        left = f", ~{elapsed / share - elapsed:.0f} s left" if 0 < share < 1 else ""
        return (
            f"{self.name:<12} {done:,}/{self.total:,} [{'#' * filled}{'-' * (WIDTH - filled)}] "
            f"{100 * share:3.0f}% {elapsed:.0f} s{left}"
        )

    def update(self, done: int, total: int | None = None) -> None:
        if total is not None:
            self.total = total
        self.done = done
        now = time.perf_counter()
        if now - self.shown < (0.5 if self.tty else 10.0):
            return
        self.shown = now
        if self.tty:
            self.stream.write("\r" + self._line(done))
        else:
            self.stream.write(self._line(done) + "\n")
        self.stream.flush()

    def finish(self) -> float:
        """Show the final line; answers the step's duration in seconds."""
        seconds = time.perf_counter() - self.started
        line = self._line(self.total if self.done <= self.total else self.done)
        self.stream.write(("\r" if self.tty else "") + line + "\n")
        self.stream.flush()
        return seconds
