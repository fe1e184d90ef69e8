"""scripts/bench_redemption.py loaded as a module, once, for the tests of its parts."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "bench_redemption.py"
_spec = importlib.util.spec_from_file_location("bench_redemption", _SCRIPT)
bench = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = bench  # its dataclasses look their module up while it loads
_spec.loader.exec_module(bench)
