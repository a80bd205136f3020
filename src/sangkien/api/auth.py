"""Bearer-token authentication for the API."""

from ninja.security import HttpBearer

from sangkien.accounts.services import token_lookup


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        found = token_lookup(token)
        if found is None:
            return None
        request.api_token = found
        request.user = found.officer
        return found.officer
