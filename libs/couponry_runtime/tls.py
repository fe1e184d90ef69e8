"""Transport security from settings: TLS, and mutual TLS when a CA is given.

With a certificate and key, servers listen with TLS; with a CA as well they
require client certificates signed by it, and every channel to another
service presents the same certificate. Without any of them everything stays
plaintext, for the embedded single-machine default.
"""

from __future__ import annotations

import grpc

from .settings import Settings


def _read(path) -> bytes | None:
    return path.read_bytes() if path is not None else None


def server_credentials(settings: Settings) -> grpc.ServerCredentials | None:
    if settings.tls_cert_file is None:
        return None
    return grpc.ssl_server_credentials(
        [(_read(settings.tls_key_file), _read(settings.tls_cert_file))],
        root_certificates=_read(settings.tls_ca_file),
        require_client_auth=settings.tls_ca_file is not None,
    )


def channel_credentials(settings: Settings) -> grpc.ChannelCredentials | None:
    if not settings.tls_enabled:
        return None
    return grpc.ssl_channel_credentials(
        root_certificates=_read(settings.tls_ca_file),
        private_key=_read(settings.tls_key_file),
        certificate_chain=_read(settings.tls_cert_file),
    )
