import pytest


class Api:
    """Calls the JSON API as a user (personal API token) or anonymously."""

    def __init__(self, client, user=None):
        self.client = client
        self.headers = {}
        if user is not None:
            from tests.support.world import issue_token

            secret = issue_token(user)
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"

    def get(self, path, **params):
        return self.client.get(f"/api/cases{path}", params, **self.headers)

    def post(self, path, body=None, **headers):
        return self.client.post(f"/api/cases{path}", body or {}, content_type="application/json",
                                **self.headers, **headers)


@pytest.fixture
def api(client):
    return lambda user=None: Api(client, user)
