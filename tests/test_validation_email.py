"""The everyday-address shortcut of ``clean_email`` answers exactly as email_validator does."""

from __future__ import annotations

import random
import string

import pytest
from email_validator import EmailNotValidError, validate_email

from heza.validation import _plain_email


@pytest.mark.parametrize("value", ["dn1@demo.heza.vn", "Ke.Toan@Cong-Ty.COM.VN", "FTP@x.vn", "Postmaster@x.vn",
                                   "a..b@x.vn", ".a@x.vn", "a@-x.vn", "a@x-.vn", "Ju@RN--GUci.vn", "a" * 65 + "@x.vn",
                                   "a@localhost", "a@x.test", "a@x.local"])
def test_known_cases(value):
    _same_as_email_validator(value)


def test_random_addresses_agree():
    rng = random.Random(14)
    chars = string.ascii_letters + string.digits + "._+-@"
    tails = ["@x.vn", "@a-b.com", ".vn", "@X.Net", "-@A.org", "@ab--c.vn", "@sub.domain.gov.vn"]
    for _ in range(20_000):
        _same_as_email_validator("".join(rng.choice(chars) for _ in range(rng.randint(1, 14))) + rng.choice(tails))


def _same_as_email_validator(value: str) -> None:
    fast = _plain_email(value)
    if fast is None:
        return  # the full parser decides
    try:
        assert validate_email(value, check_deliverability=False).normalized == fast, value
    except EmailNotValidError:
        pytest.fail(f"the shortcut accepts {value!r}, email_validator refuses it")
