"""Package layout: three source roots installed as one distribution.

pyproject.toml holds the metadata; this file only maps the directories the
architecture is drawn in (libs/, services/) to import names.
"""

from setuptools import find_packages, setup

ROOTS = {
    "couponry": "libs/couponry_protos/couponry",  # generated stubs, import root = proto package root
    "couponry_runtime": "libs/couponry_runtime",  # hand-written shared code
    "couponry_client": "libs/couponry_client",  # typed client for callers
    "couponry_services": "services",  # one subpackage per service, plus the CLI
}


def _packages() -> list[str]:
    found = []
    for name, directory in ROOTS.items():
        found.append(name)
        found += [f"{name}.{sub}" for sub in find_packages(directory)]
    return found


setup(
    packages=_packages(),
    package_dir=ROOTS,
    package_data={"couponry_services": ["*/migrations/*.mako"], "couponry": ["**/*.pyi"]},
)
