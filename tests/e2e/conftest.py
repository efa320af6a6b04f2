import re
import uuid

import pytest

from connectors.wechat_sim import FakeWeChatApi
from tests.support.servers import ServerError, Servers, running_servers

# A case number as the store issues it (borrower/casestore.py).
CASE_NUMBER = re.compile(r"TS-\d{4}-[0-9A-HJKMNP-TV-Z]{5}")

# The WeChat and WeCom channels of the servers under test: throw-away credentials, and the
# local stand-in for WeChat's API. WeCom answers nothing passively (wait 0), so every WeCom
# reply goes through message/send.
WECHAT_ENV = {
    "WECHAT_TOKEN": "e2e-token", "WECHAT_APP_ID": "wx2c2769f8efd9abc2",
    "WECHAT_ENCODING_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "WECHAT_MODE": "safe",
    "WECOM_TOKEN": "e2e-corp-token", "WECOM_CORP_ID": "ww5823bf96d3bd56c7", "WECOM_AGENT_ID": "1000002",
    "WECOM_ENCODING_AES_KEY": "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "WECOM_SECRET": "e2e-secret",
    "WECOM_PASSIVE_WAIT_S": "0",
}


@pytest.fixture(scope="session")
def wechat_api() -> FakeWeChatApi:
    fake = FakeWeChatApi(WECHAT_ENV["WECOM_SECRET"])
    yield fake
    fake.close()


@pytest.fixture(scope="session")
def servers(tmp_path_factory, wechat_api, trained_model) -> Servers:
    env = {**WECHAT_ENV, "WECOM_API_BASE": wechat_api.url}
    try:
        with running_servers(tmp_path_factory.mktemp("e2e"), trained_model, extra_env=env) as started:
            yield started
    except ServerError as error:
        pytest.fail(str(error))


@pytest.fixture
def sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def fresh_servers(tmp_path, trained_model) -> Servers:
    """Servers of this test alone, with their own databases and logs under tmp_path: for tests
    that kill them or read every row and log line afterwards."""
    try:
        with running_servers(tmp_path, trained_model) as started:
            yield started
    except ServerError as error:
        pytest.fail(str(error))
