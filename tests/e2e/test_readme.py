"""The README's tour is code a newcomer will paste: it must run as written."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
DEFAULT_PORTS = {"profile": 50051, "segmentation": 50052, "campaign": 50053, "redemption": 50054}


def tour_code() -> str:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    return blocks[0]


def test_the_readme_tour_runs_against_the_stack(stack, capsys):
    code = tour_code()
    for name, port in DEFAULT_PORTS.items():
        code = code.replace(f"127.0.0.1:{port}", f"127.0.0.1:{stack[name].port}")
    namespace: dict = {}
    exec(compile(code, str(README), "exec"), namespace)  # noqa: S102 - our own documentation
    response = namespace["response"]
    assert len(response.offers) == 1
    printed = capsys.readouterr().out
    assert response.offers[0].code in printed


def test_the_readme_names_the_commands_ci_runs():
    text = README.read_text()
    ci = (README.parent / ".ci" / "run").read_text()
    test_command = "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest"
    assert test_command in text and test_command in ci
    assert ".venv/bin/couponry up" in text
