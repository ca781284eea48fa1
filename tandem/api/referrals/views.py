from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response

from ..scopes import Scope
from ..views import ApiListView


class ReferralInbox(ApiListView):
    required_scopes = {"GET": Scope.REFERRALS_READ}

    def get(self, request: Request) -> Response:
        return Response({"results": []})
