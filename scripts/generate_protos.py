"""Generate the Python stubs for every proto under protos/ into libs/couponry_protos.

The one way stubs are produced. `--check` regenerates into a scratch directory
and exits non-zero if anything checked in differs, which is what CI runs.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import sys
import tempfile
from pathlib import Path

import grpc_tools
from grpc_tools import protoc

ROOT = Path(__file__).resolve().parent.parent
PROTO_ROOT = ROOT / "protos"
OUT_ROOT = ROOT / "libs" / "couponry_protos"
PACKAGE = "couponry"


def generate(out_dir: Path) -> None:
    protos = sorted(str(p.relative_to(PROTO_ROOT)) for p in PROTO_ROOT.rglob("*.proto"))
    if not protos:
        sys.exit("no .proto files under protos/")
    well_known = Path(grpc_tools.__file__).parent / "_proto"
    args = [
        "grpc_tools.protoc",
        f"-I{PROTO_ROOT}",
        f"-I{well_known}",
        f"--python_out={out_dir}",
        f"--pyi_out={out_dir}",
        f"--grpc_python_out={out_dir}",
        *protos,
    ]
    if protoc.main(args) != 0:
        sys.exit("protoc failed")
    # Regular packages (not namespace packages) so that setuptools and type
    # checkers find every generated module the same way.
    for directory in [out_dir / PACKAGE, *(p for p in (out_dir / PACKAGE).rglob("*") if p.is_dir())]:
        (directory / "__init__.py").touch()


def tree(path: Path) -> set[str]:
    return {str(p.relative_to(path)) for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def check() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch)
        generate(fresh)
        want, have = tree(fresh), tree(OUT_ROOT)
        stale = sorted(want ^ have)
        stale += sorted(f for f in want & have if not filecmp.cmp(fresh / f, OUT_ROOT / f, shallow=False))
    if stale:
        print("generated stubs are stale; run `python scripts/generate_protos.py`:", *stale, sep="\n  ")
        return 1
    print(f"generated stubs are fresh ({len(want)} files)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if checked-in stubs differ from a fresh generation")
    options = parser.parse_args()
    if options.check:
        return check()
    target = OUT_ROOT / PACKAGE
    if target.exists():
        shutil.rmtree(target)
    OUT_ROOT.mkdir(parents=True, exist_ok=True)
    generate(OUT_ROOT)
    print(f"generated stubs into {OUT_ROOT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
