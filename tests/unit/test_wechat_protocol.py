"""The WeChat protocol pieces against Tencent's published sample vectors, and the XML and
button handling (connectors/wechat_protocol.py)."""

import time

import pytest

from connectors.wechat_protocol import (
    MESSAGE_BYTES, Rejected, Settings, chosen, decrypt, encrypt, inbound, open_envelope,
    parse_xml, parts, render, sign, verify_url,
)

# Tencent's sample for the Official Account (WXBizMsgCrypt's sample code).
MP = Settings(kind="wechat", token="spamtest", receive_id="wx2c2769f8efd9abc2",
              aes_key="abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", mode="safe")
MP_TIMESTAMP, MP_NONCE = "1409735669", "1320562132"
MP_MSG_SIGNATURE = "5d197aaffba7e9b25a30732f161a50dee96bd5fa"
MP_ENCRYPT = (
    "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2Ld"
    "JF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5"
    "VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXg"
    "CSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9"
    "GhglF2PE="
)
# Tencent's sample for WeCom (企业微信 WXBizMsgCrypt sample).
CORP = Settings(kind="wecom", token="QDG6eK", receive_id="wx5823bf96d3bd56c7",
                aes_key="jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", mode="safe")
CORP_ECHOSTR = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="
CORP_ENCRYPT = (
    "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sY"
    "YvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYu"
    "R+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcal"
    "lcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl"
    "/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q=="
)


def test_the_url_check_signature_matches_tencents_sample():
    assert sign("spamtest", MP_TIMESTAMP, MP_NONCE) == "16120ec1b8dbb870f510d87ce6bc2463eae6ca1a"


def test_tencents_official_account_message_verifies_and_decrypts():
    assert sign(MP.token, MP_TIMESTAMP, MP_NONCE, MP_ENCRYPT) == MP_MSG_SIGNATURE
    fields = parse_xml(decrypt(MP, MP_ENCRYPT).encode())
    assert fields["FromUserName"] == "oyORnuP8q7ou2gfYjqLzSIWZf0rs"
    assert fields["Content"] == "abcdteT" and fields["MsgId"] == "6054768590064713728"


def test_tencents_wecom_url_check_and_message():
    # The sample's timestamp is from 2014: the replay window is checked separately.
    assert sign(CORP.token, "1409659589", "263014780", CORP_ECHOSTR) == "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"
    assert decrypt(CORP, CORP_ECHOSTR) == "1616140317555161061"
    assert sign(CORP.token, "1409659813", "1372623149", CORP_ENCRYPT) == "477715d11cdb4164915debcba66cb864d751f3e6"
    fields = parse_xml(decrypt(CORP, CORP_ENCRYPT).encode())
    assert (fields["FromUserName"], fields["Content"], fields["AgentID"]) == ("mycreate", "hello", "218")


def test_the_sample_is_refused_today_because_its_timestamp_is_old():
    args = {"timestamp": MP_TIMESTAMP, "nonce": MP_NONCE, "msg_signature": MP_MSG_SIGNATURE}
    body = f"<xml><ToUserName>gh_10f6c3c3ac5a</ToUserName><Encrypt>{MP_ENCRYPT}</Encrypt></xml>".encode()
    with pytest.raises(Rejected) as refused:
        open_envelope(MP, args, body)
    assert (refused.value.status, refused.value.reason) == (403, "stale timestamp")


def test_an_encrypted_round_trip_with_chinese_text():
    now, nonce = str(int(time.time())), "42"
    message = "<xml><FromUserName>o1</FromUserName><MsgType>text</MsgType><Content>催收半夜打电话还爆我通讯录</Content></xml>"
    envelope = parse_xml(encrypt(MP, message, nonce, now).encode())
    assert envelope["MsgSignature"] == sign(MP.token, now, nonce, envelope["Encrypt"])
    opened = open_envelope(MP, {"timestamp": now, "nonce": nonce, "msg_signature": envelope["MsgSignature"]},
                           f"<xml><Encrypt>{envelope['Encrypt']}</Encrypt></xml>".encode())
    assert opened.encrypted and opened.fields["Content"] == "催收半夜打电话还爆我通讯录"


def test_a_message_for_another_account_does_not_decrypt():
    other = Settings(kind="wechat", token="spamtest", receive_id="wx0000000000000000",
                     aes_key=MP.aes_key, mode="safe")
    with pytest.raises(Rejected) as refused:
        decrypt(other, MP_ENCRYPT)
    assert refused.value.status == 403


def test_url_check_answers_echostr_only_with_the_right_signature():
    now = str(int(time.time()))
    plain = Settings(kind="wechat", token="spamtest", receive_id="wx1", mode="plaintext")
    good = {"timestamp": now, "nonce": "7", "echostr": "hello", "signature": sign("spamtest", now, "7")}
    assert verify_url(plain, good) == "hello"
    with pytest.raises(Rejected):
        verify_url(plain, {**good, "signature": "0" * 40})


@pytest.mark.parametrize("body, status", [
    (b"<xml><Content>unclosed", 400),
    (b"not xml at all", 400),
    (b'<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
     b"<xml><Content>&xxe;</Content></xml>", 400),
    (b'<!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><xml><Content>&b;</Content></xml>', 400),
    (b"<html><body>hi</body></html>", 400),
    (b"<xml><Content>" + b"a" * (1024 * 1024) + b"</Content></xml>", 413),
])
def test_hostile_or_broken_xml_is_refused(body, status):
    with pytest.raises(Rejected) as refused:
        parse_xml(body)
    assert refused.value.status == status


def test_message_kinds():
    base = {"FromUserName": "o1", "ToUserName": "gh_1", "CreateTime": "1"}
    assert inbound({**base, "MsgType": "text", "Content": "你好", "MsgId": "9"}).kind == "text"
    voice = inbound({**base, "MsgType": "voice", "Recognition": "催收爆通讯录", "MsgId": "10"})
    assert (voice.kind, voice.text) == ("text", "催收爆通讯录")
    assert inbound({**base, "MsgType": "voice", "MsgId": "11"}).kind == "unsupported"
    assert inbound({**base, "MsgType": "event", "Event": "subscribe"}).kind == "welcome"
    assert inbound({**base, "MsgType": "event", "Event": "unsubscribe"}).kind == "ignore"
    assert inbound({**base, "MsgType": "image", "MsgId": "12"}).kind == "unsupported"
    assert inbound({**base, "MsgType": "location", "MsgId": "13"}).kind == "unsupported"
    # events have no MsgId: sender + time are the key
    assert inbound({**base, "MsgType": "event", "Event": "subscribe"}).key == "o1:1:subscribe"


def test_buttons_become_numbered_options_and_numbers_pick_them():
    text, payloads = render([{"text": "是哪种借款？", "buttons": [
        {"title": "车贷", "payload": "车贷"}, {"title": "以租代购 / 融资租赁", "payload": "以租代购"}]}])
    assert "1. 车贷\n2. 以租代购 / 融资租赁" in text and "回复数字" in text
    for answer in ("2", "２", "二", "第2个", " 2。"):
        assert chosen(answer, payloads) == "以租代购"
    for answer in ("3", "0", "我选车贷", "12378", ""):
        assert chosen(answer, payloads) is None


def test_long_replies_are_cut_at_sentence_ends_within_the_limit():
    letter = "\n".join(f"第{i}段：催收人员在凌晨多次拨打我的电话，并联系我的家人和同事。" * 3 for i in range(40))
    pieces = parts(letter)
    assert len(pieces) > 1
    assert all(len(piece.encode("utf-8")) <= MESSAGE_BYTES for piece in pieces)
    assert all(piece.endswith("。") for piece in pieces)
    assert "".join(pieces).replace("\n", "") == letter.replace("\n", "")
