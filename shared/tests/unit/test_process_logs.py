"""A process group's logs for a failure report: all of them, or what came after a point."""

from __future__ import annotations

import os
import sys

from chancery.realmode import ProcessGroup


def test_the_logs_since_a_point_hold_only_what_came_after_it(tmp_path):
    group = ProcessGroup(tmp_path, dict(os.environ))
    say = "import sys; print(sys.argv[1], flush=True)"
    group.start("first", [sys.executable, "-c", say, "before šilumos"]).popen.wait(30)
    sizes = group.log_sizes()
    group.start("second", [sys.executable, "-c", say, "ქუჩის"]).popen.wait(30)
    group.restart("first").popen.wait(30)  # the same words again, appended to its log

    everything, since = group.logs(), group.logs(since=sizes)

    assert everything.count("before šilumos") == 2
    assert "ქუჩის" in everything
    # The first process's first run is left out; its second run and the new process are in.
    assert since.count("before šilumos") == 1
    assert "ქუჩის" in since
    assert "===== first =====" in since
    assert "===== second =====" in since
