#!/usr/bin/env python3
"""Read Tandem's referral inbox and answer one referral — a partner system's first steps.

Standard library only. The token is an API client's bearer token (issued once by a Tandem
administrator: Admin → API clients → "Issue a token"), with the scopes ``referrals:read`` and
``referrals:write``; it is read from the environment, never from the command line (which other
users of the machine may see):

    export TANDEM_API_TOKEN=tdm_...
    python examples/referral_inbox.py --base-url https://tandem.example.org
    python examples/referral_inbox.py --answer accept --note "We bellen haar deze week."
    python examples/referral_inbox.py --answer decline --reason "Geen woonbegeleiding in Gent."

Without ``--answer`` it only lists the open referrals. With it, it answers the newest open
referral that allows that answer: it reads the referral (for its ETag), then posts the answer
with ``If-Match``, so an answer never overwrites a change it did not see (412 then: read again).
Errors are problem details (RFC 9457); their ``errors`` name the field.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from typing import Any


class ApiError(Exception):
    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        self.status, self.problem = status, problem
        fields = ", ".join(
            f"{e.get('field')}: {e.get('message')}" for e in problem.get("errors", [])
        )
        super().__init__(
            f"{status} {problem.get('title', '')}: {problem.get('detail', '')} {fields}"
        )


class Tandem:
    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token

    def call(
        self, method: str, path: str, body: dict[str, Any] | None = None, etag: str = ""
    ) -> tuple[dict[str, Any], str]:
        """The answer's JSON and its ETag (empty when it has none)."""
        url = path if path.startswith("http") else f"{self.base_url}{path}"
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if etag:
            headers["If-Match"] = etag
        request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310 - the URL is the configured Tandem server
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return json.loads(response.read() or b"{}"), response.headers.get("ETag", "")
        except urllib.error.HTTPError as exc:
            try:
                problem = json.loads(exc.read() or b"{}")
            except ValueError:
                problem = {"detail": exc.reason}
            raise ApiError(exc.code, problem) from None

    def inbox(self, *, open_only: bool = True) -> list[dict[str, Any]]:
        """Every referral of the inbox (following the cursor from page to page)."""
        path = "/api/v1/referrals/inbox/" + ("?open=true" if open_only else "")
        referrals: list[dict[str, Any]] = []
        while path:
            page, _etag = self.call("GET", path)
            referrals += page["results"]
            path = page.get("next") or ""
        return referrals

    def answer(self, referral_id: str, action: str, **body: str) -> dict[str, Any]:
        _current, etag = self.call("GET", f"/api/v1/referrals/{referral_id}/")
        answered, _new_etag = self.call(
            "POST", f"/api/v1/referrals/{referral_id}/{action}/", body, etag=etag
        )
        return answered


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base-url", default=os.environ.get("TANDEM_URL", "http://127.0.0.1:8000"))
    parser.add_argument(
        "--answer",
        choices=["accept", "decline", "no-capacity", "start", "complete", "not-reached"],
    )
    parser.add_argument("--reason", default="")
    parser.add_argument("--outcome", default="")
    parser.add_argument("--note", default="")
    args = parser.parse_args(argv)
    token = os.environ.get("TANDEM_API_TOKEN", "")
    if not token:
        print("Set TANDEM_API_TOKEN to the API client's token.", file=sys.stderr)
        return 2
    tandem = Tandem(args.base_url, token)
    try:
        referrals = tandem.inbox()
        print(f"{len(referrals)} open referrals in the inbox")
        for r in referrals:
            print(
                f"  {r['id']}  {r['status']:<12} {r['service']['name']}  (sent {r['sent_at'][:10]})"
            )
        if not args.answer:
            return 0
        candidates = [r for r in referrals if args.answer in r["allowed_actions"]]
        if not candidates:
            print(f"No open referral can be answered with “{args.answer}” now.")
            return 1
        body = {
            k: v
            for k, v in (("reason", args.reason), ("outcome", args.outcome), ("note", args.note))
            if v
        }
        answered = tandem.answer(candidates[0]["id"], args.answer, **body)
        print(f"Answered {answered['id']}: now {answered['status']}")
        return 0
    except ApiError as exc:
        print(f"Tandem refused: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
