"""A typed Python client for couponry, for backend services that call it.

    from couponry_client import Couponry, CouponryError

    with Couponry.from_env() as couponry:
        response = couponry.campaign.GetPersonalizedOffers(request)

Each attribute is the generated stub of one service (fully typed through the
generated .pyi files), on a channel with a default deadline on every call,
retries of UNAVAILABLE (all mutating RPCs carry a request_id, so retries are
safe) and OpenTelemetry client spans under the caller's global tracer provider.
`CouponryError.of(rpc_error)` reads the stable reason and field violations.
"""

from __future__ import annotations

from collections.abc import Mapping

import grpc

from couponry.campaign.v1.campaign_service_pb2_grpc import CampaignServiceStub
from couponry.profile.v1.profile_service_pb2_grpc import ProfileServiceStub
from couponry.redemption.v1.redemption_service_pb2_grpc import RedemptionServiceStub
from couponry.segmentation.v1.segmentation_service_pb2_grpc import SegmentationServiceStub
from couponry_runtime.channels import open_channel
from couponry_runtime.errors import RichError, parse_rpc_error
from couponry_runtime.settings import SERVICE_NAMES, Settings
from couponry_runtime.tls import channel_credentials

__all__ = ["Couponry", "CouponryError"]


class CouponryError(Exception):
    """A failed couponry call: canonical code, stable reason, field violations."""

    def __init__(self, details: RichError) -> None:
        super().__init__(f"{details.code.name} {details.reason or ''}: {details.message}".strip())
        self.details = details
        self.code = details.code
        self.reason = details.reason
        self.field_violations = details.field_violations

    @classmethod
    def of(cls, error: grpc.RpcError) -> CouponryError:
        return cls(parse_rpc_error(error))


class Couponry:
    """Stubs for all four services."""

    profile: ProfileServiceStub
    segmentation: SegmentationServiceStub
    campaign: CampaignServiceStub
    redemption: RedemptionServiceStub

    def __init__(self, targets: Mapping[str, str], *, timeout_seconds: float = 5.0,
                 credentials: grpc.ChannelCredentials | None = None) -> None:
        missing = set(SERVICE_NAMES) - set(targets)
        if missing:
            raise ValueError(f"no target for {', '.join(sorted(missing))}")
        self._channels = {name: open_channel(targets[name], None, timeout_seconds, credentials)
                          for name in SERVICE_NAMES}
        self.profile = ProfileServiceStub(self._channels["profile"])
        self.segmentation = SegmentationServiceStub(self._channels["segmentation"])
        self.campaign = CampaignServiceStub(self._channels["campaign"])
        self.redemption = RedemptionServiceStub(self._channels["redemption"])

    @classmethod
    def from_env(cls, *, timeout_seconds: float = 5.0) -> Couponry:
        """Targets (COUPONRY_<SERVICE>_TARGET, or host and ports) and TLS
        (COUPONRY_TLS_*) from the environment, as the services use them."""
        settings = Settings()
        return cls({name: settings.target(name) for name in SERVICE_NAMES}, timeout_seconds=timeout_seconds,
                   credentials=channel_credentials(settings))

    def close(self) -> None:
        for channel in self._channels.values():
            channel.close()

    def __enter__(self) -> Couponry:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
