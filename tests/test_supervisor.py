"""The supervisor behind `bastion up`: a dead child is restarted with backoff; one that keeps dying
stops everything."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import psutil
import pytest

from bastion.supervisor import Child, RestartPolicy, Supervisor, describe_exit

TINY = RestartPolicy(initial_delay=0.01, max_delay=0.04, stable_seconds=60, max_deaths=5, window_seconds=60)
# Counts its runs in a file; the first run dies by SIGKILL, the second asks the supervisor to stop.
DIES_ONCE = """
import os, pathlib, signal, sys, time
runs = pathlib.Path(sys.argv[1])
count = int(runs.read_text()) + 1 if runs.exists() else 1
runs.write_text(str(count))
if count == 1:
    os.kill(os.getpid(), signal.SIGKILL)
os.kill(os.getppid(), signal.SIGTERM)
time.sleep(60)
"""


def test_item_3_supervisor_gives_up_after_repeated_fast_failures(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # given: a child that exits at once, beside one that would run for a minute
    broken = Child("broken", [sys.executable, "-c", "raise SystemExit(3)"])
    steady = Child("steady", [sys.executable, "-c", "import time; time.sleep(60)"])
    supervisor = Supervisor([broken, steady], environment=dict(os.environ), health_url=None, policy=TINY)
    # when
    status = supervisor.run()
    # then: four restarts, then it gives up and stops the steady child too
    log = capsys.readouterr().err.splitlines()
    assert status == 1
    assert [line for line in log if line.startswith("bastion: broken")] == [
        "bastion: broken exited with status 3; restarting it in 0.01s",
        "bastion: broken exited with status 3; restarting it in 0.02s",
        "bastion: broken exited with status 3; restarting it in 0.04s",
        "bastion: broken exited with status 3; restarting it in 0.04s",
        "bastion: broken exited with status 3",
        "bastion: broken died 5 times within 60s; giving up and stopping the others",
    ]
    assert len([line for line in log if re.fullmatch(r"bastion: restarted broken \(pid \d+\)", line)]) == 4
    assert [line for line in log if "steady" in line and "started" not in line] == []
    assert steady.process is not None
    assert steady.process.returncode == -15  # SIGTERM, from stop_all
    assert log[-1] == "bastion: stopped"


def test_item_3_supervisor_restarts_a_killed_child_and_exits_0_on_sigterm(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given
    runs = tmp_path / "runs"
    child = Child("flaky", [sys.executable, "-c", DIES_ONCE, str(runs)])
    supervisor = Supervisor([child], environment=dict(os.environ), health_url=None, policy=TINY)
    # when
    status = supervisor.run()
    # then: restarted once, and SIGTERM (sent by its second run) stopped it cleanly
    log = capsys.readouterr().err.splitlines()
    assert status == 0
    assert runs.read_text() == "2"
    assert [re.sub(r"pid \d+", "pid N", line) for line in log] == [
        "bastion: started flaky (pid N)",
        "bastion: flaky was killed by SIGKILL; restarting it in 0.01s",
        "bastion: restarted flaky (pid N)",
        "bastion: received SIGTERM; stopping",
        "bastion: stopped",
    ]
    assert child.process is not None
    assert not psutil.pid_exists(child.process.pid)


def test_item_3_restart_delay_doubles_up_to_the_cap_and_resets_after_a_stable_run() -> None:
    # given
    policy = RestartPolicy(
        initial_delay=1, max_delay=30, stable_seconds=60, max_deaths=100, window_seconds=60
    )
    supervisor = Supervisor([], environment={}, health_url=None, policy=policy)
    child = Child("worker", ["true"])
    delays = []
    # when: seven deaths, each two seconds after a restart, then one after a long run
    for start in range(0, 70, 10):
        child.started_at = float(start)
        assert supervisor.record_death(child, -9, now=start + 2.0)
        delays.append(child.delay)
    child.started_at = 1000.0
    assert supervisor.record_death(child, -9, now=1100.0)
    # then
    assert delays == [1, 2, 4, 8, 16, 30, 30]
    assert child.delay == 1
    assert child.restart_at == 1101.0


def test_item_3_five_deaths_within_the_window_give_up_and_older_ones_are_forgotten() -> None:
    supervisor = Supervisor([], environment={}, health_url=None, policy=RestartPolicy())
    child = Child("gateway", ["true"])

    spread = [supervisor.record_death(child, 1, now=float(moment)) for moment in (0, 15, 30, 45, 61)]
    fifth_within_a_minute = supervisor.record_death(child, 1, now=62.0)

    assert spread == [True, True, True, True, True]  # five deaths, never five within 60 s
    assert fifth_within_a_minute is False
    assert list(child.deaths) == [15.0, 30.0, 45.0, 61.0, 62.0]


@pytest.mark.parametrize(
    ("status", "described"),
    [(0, "exited with status 0"), (3, "exited with status 3"), (-9, "was killed by SIGKILL")],
)
def test_describe_exit(status: int, described: str) -> None:
    assert describe_exit(status) == described
