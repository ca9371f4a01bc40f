"""Settings chosen by JOINEDUP_ENV: local (default) or production. Tests use settings.test directly."""

import os

if os.environ.get("JOINEDUP_ENV", "local") == "production":
    from .production import *  # noqa: F403
else:
    from .local import *  # noqa: F403
