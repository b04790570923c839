"""Measure the late-step forecast (`motcua.reports.forecast`) on the demo history, held out by time.

Run from the repository root: ``python tools/forecast_eval.py [--dossiers 3000] [--seed 2026]``.

In a scratch SQLite database of its own, in demo mode (a temporary directory, removed at the
end; the project's database is not touched): loads the demo city, makes ``--dossiers`` dossiers of the
year 2025 through the real services (`motcua demo --dossiers`, its "now" pinned at 01/01/2026),
then trains on the steps finished in months 1–9 and tests on every counted step started in
months 10–12 (`forecast.evaluate`): each is judged one working day before its due, predicted
late when the risk then is at least 50 %. Prints precision and recall of "will be late", and
the share of test steps that ran late (the base rate) for comparison, and the same figures for
the first model (the history not split by whether the dossier was already behind).
"""

# ruff: noqa: T201, S603 - a command-line tool: it prints, and runs the project's own commands

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dossiers", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="motcua-forecast-"))
    try:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{work / 'eval.sqlite3'}",
            # demo mode: a leader without a configured key signs the apology of a late step with
            # a DEMO CA certificate issued on the spot (in the scratch directory); without it every
            # dossier that runs late is skipped (SigningKeyMissing) and the history has no late
            # steps to learn from
            "MOTCUA_DEMO": "1",
            "MOTCUA_VAR_DIR": str(work / "var"),
        }
        env.pop("DATABASE_REPLICA_URL", None)
        motcua = str(Path(sys.executable).with_name("motcua"))
        subprocess.run([motcua, "migrate", "-v", "0"], check=True, cwd=ROOT, env=env)
        subprocess.run(
            [sys.executable, __file__, "--child", str(args.dossiers), str(args.seed)],
            check=True,
            cwd=ROOT,
            env=env,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def child(dossiers: int, seed: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import time
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from motcua.demo.dossiers import generate_history
    from motcua.demo.loader import load_demo_city
    from motcua.dossiers.models import DossierStep
    from motcua.reports.forecast import evaluate

    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    now = datetime(2026, 1, 1, tzinfo=tz)
    split = datetime(2025, 10, 1, tzinfo=tz)
    load_demo_city()
    t0 = time.perf_counter()
    history = generate_history(dossiers, now=now, seed=seed)
    made_s = time.perf_counter() - t0
    steps = DossierStep.objects.filter(counted=True, finished_at__isnull=False)
    train = steps.filter(finished_at__lt=split).count()
    t0 = time.perf_counter()
    result = evaluate(train_before=split, test_until=now)
    eval_s = time.perf_counter() - t0
    first = evaluate(train_before=split, test_until=now, by_behind=False)
    print(f"=== tools/forecast_eval.py — demo history of 2025, seed {seed}")
    print(f"dossiers made: {history.line()} ({made_s:.0f} s)")
    for reason, n in history.skipped.most_common(3):
        print(f"  skipped {n}: {reason[:160]}")
    print(f"training: {train} finished counted steps of months 1–9 (before 01/10/2025)")
    print(
        f"test: {result.tested} steps of months 10–12 judged one working day before their due; "
        f"{result.actually_late} finished late"
    )
    print(
        f"flagged late (risk ≥ 50 %): {result.predicted_late}; of them late: "
        f"{result.true_positives}"
    )
    print(f"precision {_pct(result.precision)} · recall {_pct(result.recall)} ({eval_s:.1f} s)")
    print(
        f"the first model (history not split by whether the dossier was already behind): "
        f"flagged {first.predicted_late}, of them late {first.true_positives}; precision "
        f"{_pct(first.precision)} · recall {_pct(first.recall)}"
    )
    base = result.actually_late / result.tested if result.tested else None
    print(f"base rate (share of test steps that ran late): {_pct(base)}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(int(sys.argv[2]), int(sys.argv[3]))
        sys.exit(0)
    sys.exit(main())
