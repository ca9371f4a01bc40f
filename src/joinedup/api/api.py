"""The /api/v1 router: bearer-token auth, error shapes, and each app's endpoints mounted."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(title="Joined Up API", version="1", urls_namespace="api-v1")
