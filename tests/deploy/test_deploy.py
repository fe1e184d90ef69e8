"""Deploy files are checked by validators, not by running containers: the
Kubernetes manifests against the official schemas, the compose file and the
Dockerfile against what the services actually read and run."""

from pathlib import Path

import dockerfile
import kubernetes_validate
import pytest
import yaml

from couponry_runtime.settings import SERVICE_NAMES, Settings
from couponry_services.registry import definition

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
DEFAULT_PORTS = {"profile": 50051, "segmentation": 50052, "campaign": 50053, "redemption": 50054}


def k8s_documents():
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for document in yaml.safe_load_all(path.read_text()):
            yield pytest.param(document, id=f"{path.name}:{document['kind']}")


@pytest.mark.parametrize("document", list(k8s_documents()))
def test_kubernetes_manifests_match_the_official_schema(document):
    kubernetes_validate.validate(document, "1.31", strict=True)


def test_kustomization_lists_every_manifest():
    listed = set(yaml.safe_load((DEPLOY / "k8s" / "kustomization.yaml").read_text())["resources"])
    assert listed == {p.name for p in (DEPLOY / "k8s").glob("*.yaml")} - {"kustomization.yaml"}


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_each_deployment_runs_its_service_and_probes_its_health(service):
    deployment, svc, _pdb = yaml.safe_load_all((DEPLOY / "k8s" / f"{service}.yaml").read_text())
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["args"] == ["serve", service]
    assert container["ports"][0]["containerPort"] == DEFAULT_PORTS[service]
    readiness = container["readinessProbe"]["grpc"]
    assert readiness["port"] == DEFAULT_PORTS[service]
    if definition(service).full_name:
        assert readiness["service"] == definition(service).full_name
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert svc["spec"]["ports"][0]["port"] == DEFAULT_PORTS[service]


def test_configmap_is_a_valid_couponry_configuration(monkeypatch):
    documents = list(yaml.safe_load_all((DEPLOY / "k8s" / "base.yaml").read_text()))
    config = next(d for d in documents if d["kind"] == "ConfigMap")["data"]
    for key, value in config.items():
        monkeypatch.setenv(key, value)
    settings = Settings()
    assert settings.host == "0.0.0.0"
    assert all(settings.target(name).startswith("dns:///") for name in SERVICE_NAMES)


def test_compose_runs_every_service_with_a_valid_configuration(monkeypatch):
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    for service in SERVICE_NAMES:
        spec = compose["services"][service]
        assert spec["command"] == ["serve", service]
        assert spec["ports"] == [f"{DEFAULT_PORTS[service]}:{DEFAULT_PORTS[service]}"]
        assert spec["healthcheck"]["test"][1:3] == ["couponry", "health"]
        for key, value in spec["environment"].items():
            monkeypatch.setenv(key, str(value))
        settings = Settings()
        url, schema = settings.database_url_for(service)
        assert url.startswith("postgresql+psycopg://") and schema == f"couponry_{service}"
        assert settings.target(service) == f"{service}:{DEFAULT_PORTS[service]}"


def test_dockerfile_builds_the_package_and_runs_unprivileged():
    instructions = dockerfile.parse_file(str(DEPLOY / "docker" / "Dockerfile"))
    commands = [(i.cmd.lower(), i.value) for i in instructions]
    assert ("user", ("10001",)) in commands
    assert ("entrypoint", ("couponry",)) in commands
    copied = {i.value[0] for i in instructions if i.cmd.lower() == "copy" and not i.flags}
    assert {"libs", "services", "pyproject.toml"} <= copied
