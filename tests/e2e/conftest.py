import uuid

import pytest

from tests.support.servers import ServerError, Servers, running_servers


@pytest.fixture(scope="session")
def servers(tmp_path_factory) -> Servers:
    try:
        with running_servers(tmp_path_factory.mktemp("e2e")) as started:
            yield started
    except ServerError as error:
        pytest.fail(str(error))


@pytest.fixture
def sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:12]}"
