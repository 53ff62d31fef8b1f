"""The package file: canonical form, HMAC-SHA256 signature, and what reading refuses."""

import json

import pytest

from shigan.exchange import package
from shigan.exchange.package import PackageError

KEY = "11" * 32
DATA = {"format": "shigan-exchange", "version": 1, "id": "x", "body": {"名称": "<script>", "n": 1}}


def test_canonical_form_sorts_keys_without_spaces_and_keeps_chinese():
    assert package.canonical({"b": 1, "a": "县"}) == '{"a":"县","b":1}'.encode()


def test_a_written_package_reads_back_and_verifies():
    found = package.read(package.write(DATA, KEY))
    assert found.data == DATA
    found.verify(KEY)


def test_every_changed_byte_of_the_signed_line_is_refused():
    raw = package.write(DATA, KEY)
    signed_length = raw.index(b"\n")
    for position in range(signed_length):
        changed = bytearray(raw)
        changed[position] ^= 0x01
        with pytest.raises(PackageError):
            package.read(bytes(changed)).verify(KEY)


def test_another_key_is_a_signature_mismatch():
    with pytest.raises(PackageError, match="签名不符"):
        package.read(package.write(DATA, KEY)).verify("22" * 32)


def test_a_re_indented_package_is_refused_as_edited():
    raw = package.write(DATA, KEY)
    signed, signature = raw.split(b"\n", 1)
    pretty = json.dumps(json.loads(signed), indent=1, ensure_ascii=False).replace("\n", "")
    with pytest.raises(PackageError, match="规范格式"):
        package.read(pretty.encode() + b"\n" + signature)


@pytest.mark.parametrize(
    "raw, reason",
    [
        (b"", "缺少签名行"),
        (b"{}\nno signature", "缺少签名行"),
        (b"[1]\nHMAC-SHA256 00", "格式标识不符"),
        (b"\xff\xfe\nHMAC-SHA256 00", "不是有效的 JSON"),
        (b'{"format":"shigan-exchange","version":2}\nHMAC-SHA256 00', "只支持版本1"),
        (b"x" * (package.MAX_BYTES + 1), "交换包最大20MB"),
    ],
)
def test_malformed_files_are_refused_with_the_reason(raw, reason):
    with pytest.raises(PackageError, match=reason):
        package.read(raw)


def test_periods():
    assert package.next_period("2023-12") == "2024-01"
    assert package.next_period("2023-07") == "2023-08"
    assert package.period_label("2023-07") == "2023年7月"
    for bad in ("2023-13", "2023-7", None, "July"):
        with pytest.raises(PackageError, match="格式不对"):
            package.parse_period(bad)
