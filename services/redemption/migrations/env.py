from couponry_runtime.db import run_migrations
from couponry_services.redemption.repository import Base

run_migrations(Base.metadata)
