"""Every service the bootstrap can start, by name."""

from __future__ import annotations

import importlib

from couponry_runtime.server import ServiceDefinition
from couponry_runtime.settings import SERVICE_NAMES


def definition(name: str) -> ServiceDefinition:
    if name not in SERVICE_NAMES:
        raise KeyError(f"unknown service {name!r}; one of {', '.join(SERVICE_NAMES)}")
    return importlib.import_module(f"couponry_services.{name}.app").DEFINITION
