"""Where uploaded files, documents and the analytical store live, from the environment (docs/adr/0027).

JOINEDUP_STORAGE_URL unset: everything under the data directory (Django's FileSystemStorage in
`DATA_DIR/files`, the store in `DATA_DIR/insight`), the embedded default for one server.

JOINEDUP_STORAGE_URL=``s3://BUCKET[/PREFIX][?endpoint_url=URL&region=NAME&addressing_style=path|virtual]``:
S3-compatible object storage through django-storages, so several servers share the files and the store.
`STORAGES["default"]` keeps uploads and documents under `PREFIX/files/`, `STORAGES["insight"]` the store's
published generations and its CURRENT pointer under `PREFIX/insight/`. The credentials are boto3's own
(`AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`, or the server's instance role), never in the URL.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ImproperlyConfigured

S3_BACKEND = "storages.backends.s3.S3Storage"
FILE_BACKEND = "django.core.files.storage.FileSystemStorage"
OPTIONS = ("endpoint_url", "region", "addressing_style")
# S3 bucket names: 3 to 63 lower-case letters, digits, dots and hyphens.
_BUCKET_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789.-")


def storage_url_problems(url: str) -> list[str]:
    """What is wrong with a JOINEDUP_STORAGE_URL, one sentence each; [] when it is usable (or unset)."""
    url = url.strip()
    if not url:
        return []
    parts = urlsplit(url)
    if parts.scheme != "s3":
        return [
            f"JOINEDUP_STORAGE_URL must start s3:// (S3-compatible object storage), not {parts.scheme or url!r}."
        ]
    problems = []
    bucket = parts.netloc
    if parts.username or parts.password or "@" in bucket:
        problems.append(
            "JOINEDUP_STORAGE_URL must not hold credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."
        )
    elif not (3 <= len(bucket) <= 63 and set(bucket) <= _BUCKET_CHARS):
        problems.append(f"JOINEDUP_STORAGE_URL's bucket {bucket!r} is not an S3 bucket name.")
    query = parse_qs(parts.query)
    unknown = sorted(set(query) - set(OPTIONS))
    if unknown:
        problems.append(
            f"JOINEDUP_STORAGE_URL has unknown option(s) {', '.join(unknown)} (known: {', '.join(OPTIONS)})."
        )
    endpoint = query.get("endpoint_url", [""])[-1]
    if endpoint and (urlsplit(endpoint).scheme not in ("http", "https") or not urlsplit(endpoint).hostname):
        problems.append("JOINEDUP_STORAGE_URL's endpoint_url must be an http:// or https:// address.")
    style = query.get("addressing_style", [""])[-1]
    if style and style not in ("path", "virtual"):
        problems.append("JOINEDUP_STORAGE_URL's addressing_style must be path or virtual.")
    return problems


def storages(environ: Mapping[str, str], data_dir: Path) -> dict[str, Any]:
    """STORAGES["default"] (and, on object storage, STORAGES["insight"]) for the environment."""
    url = (environ.get("JOINEDUP_STORAGE_URL") or "").strip()
    if not url:
        return {"default": {"BACKEND": FILE_BACKEND, "OPTIONS": {"location": data_dir / "files"}}}
    problems = storage_url_problems(url)
    if problems:
        raise ImproperlyConfigured(" ".join(problems))
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    prefix = parts.path.strip("/")
    common: dict[str, Any] = {"bucket_name": parts.netloc, "default_acl": None, "querystring_auth": True}
    if query.get("endpoint_url"):
        common["endpoint_url"] = query["endpoint_url"]
    if query.get("region"):
        common["region_name"] = query["region"]
    if query.get("addressing_style"):
        common["addressing_style"] = query["addressing_style"]

    def location(name: str) -> str:
        return f"{prefix}/{name}" if prefix else name

    return {
        # Uploaded names never overwrite one another (Django's rule for every storage).
        "default": {
            "BACKEND": S3_BACKEND,
            "OPTIONS": {**common, "location": location("files"), "file_overwrite": False},
        },
        # The store writes each name once, except CURRENT, which is replaced on every publish.
        "insight": {
            "BACKEND": S3_BACKEND,
            "OPTIONS": {**common, "location": location("insight"), "file_overwrite": True},
        },
    }
