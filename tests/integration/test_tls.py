"""Mutual TLS between callers and services, and between the services."""

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from couponry.segmentation.v1 import segmentation_service_pb2 as api
from couponry.segmentation.v1 import segmentation_service_pb2_grpc as api_grpc
from couponry_client import Couponry
from couponry_runtime.settings import SERVICE_NAMES, Settings
from tests.integration.thin_path import Stubs, active_campaigns, create_customer, offers_for
from tests.tls_material import Authority


@pytest.fixture
def pki(tmp_path):
    ours, rogue = Authority(tmp_path, "couponry"), Authority(tmp_path, "rogue")
    return ours, rogue


@pytest.fixture
def mtls(settings, pki):
    ours, _ = pki
    cert, key = ours.issue("service")
    for name, value in (("tls_cert_file", cert), ("tls_key_file", key), ("tls_ca_file", ours.ca_file)):
        setattr(settings, name, value)
    return settings


def secure(port: int, ca, cert=None, key=None) -> grpc.Channel:
    credentials = grpc.ssl_channel_credentials(
        root_certificates=ca.read_bytes(), private_key=key.read_bytes() if key else None,
        certificate_chain=cert.read_bytes() if cert else None)
    return grpc.secure_channel(f"127.0.0.1:{port}", credentials)


def can_call(channel: grpc.Channel) -> bool:
    try:
        api_grpc.SegmentationServiceStub(channel).ListSegments(api.ListSegmentsRequest(), timeout=3)
        return True
    except grpc.RpcError as error:
        assert error.code() == grpc.StatusCode.UNAVAILABLE
        return False


def test_only_clients_with_a_certificate_from_our_ca_get_in(mtls, start, pki):
    ours, rogue = pki
    port = start("segmentation").port
    client_cert, client_key = ours.issue("caller")
    rogue_cert, rogue_key = rogue.issue("intruder")

    assert can_call(secure(port, ours.ca_file, client_cert, client_key))
    assert not can_call(grpc.insecure_channel(f"127.0.0.1:{port}"))
    assert not can_call(secure(port, ours.ca_file))  # TLS without a client certificate
    assert not can_call(secure(port, ours.ca_file, rogue_cert, rogue_key))
    health = health_pb2_grpc.HealthStub(secure(port, ours.ca_file, client_cert, client_key))
    assert health.Check(health_pb2.HealthCheckRequest(), timeout=3).status == health_pb2.HealthCheckResponse.SERVING


def test_the_thin_path_runs_over_mutual_tls(mtls, start, monkeypatch):
    stack = {name: start(name) for name in SERVICE_NAMES}
    for name in ("tls_cert_file", "tls_key_file", "tls_ca_file"):
        monkeypatch.setenv(f"COUPONRY_{name.upper()}", str(getattr(mtls, name)))
    for name, service in stack.items():
        monkeypatch.setenv(f"COUPONRY_{name.upper()}_TARGET", f"127.0.0.1:{service.port}")
    with Couponry.from_env() as couponry:
        stubs = Stubs.of(couponry)
        active_campaigns(stubs)
        response = offers_for(stubs, create_customer(stubs, consent=True))
    assert len(response.offers) == 1


def test_half_a_key_pair_is_a_configuration_error(tmp_path, pki):
    ours, _ = pki
    cert, _key = ours.issue("lonely")
    with pytest.raises(ValueError, match="go together"):
        Settings(tls_cert_file=cert)
    with pytest.raises(ValueError, match="not a readable file"):
        Settings(tls_ca_file=tmp_path / "missing.pem")
