"""The password policy (settings.AUTH_PASSWORD_VALIDATORS) with Chinese messages, and the initial
passwords the accounts page hands out.

The policy (README "Roles"): at least MIN_LENGTH characters, not a common password, not all
digits, not the login name or the person's name (in characters or in pinyin) nor too similar to
them. Django's "too short" message has no Chinese translation at all: each validator is wrapped
here with one Chinese message, whatever the language of the command line.
"""

import re
import secrets

from django.contrib.auth import password_validation as django_validation
from django.core.exceptions import ValidationError
from pypinyin import lazy_pinyin

MIN_LENGTH = 10  # settings.AUTH_PASSWORD_VALIDATORS passes it; README "Roles" states it

# Initial passwords: no 0/o, 1/l/i — they are read off a sheet and typed by hand.
INITIAL_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
INITIAL_GROUPS = 3
INITIAL_GROUP_LENGTH = 4


def name_in_pinyin(name: str) -> str:
    """A Chinese name as lowercase ASCII pinyin without tones ("王填报" → "wangtianbao")."""
    return re.sub(r"[^a-z0-9]", "", "".join(lazy_pinyin(name or "")).lower())


class MinimumLengthValidator(django_validation.MinimumLengthValidator):
    def __init__(self, min_length: int = MIN_LENGTH):
        super().__init__(min_length=min_length)

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                f"密码太短：至少{self.min_length}个字符（现为{len(password)}个）。",
                code="password_too_short",
            )

    def get_help_text(self):
        return f"至少{self.min_length}个字符。"


class CommonPasswordValidator(django_validation.CommonPasswordValidator):
    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(
                "这个密码太常见，容易被猜中，请换一个。", code="password_too_common"
            ) from None

    def get_help_text(self):
        return "不能是常见密码。"


class NumericPasswordValidator(django_validation.NumericPasswordValidator):
    def validate(self, password, user=None):
        if password.isdigit():
            raise ValidationError(
                "密码不能全是数字，请加入字母或符号。", code="password_entirely_numeric"
            )

    def get_help_text(self):
        return "不能全是数字。"


def _person_name(user) -> str:
    """The name of the person behind the account; for an account being created (not saved yet)
    the name the caller put in first_name."""
    person = getattr(user, "person", None) if getattr(user, "pk", None) else None
    return getattr(person, "name", "") or getattr(user, "first_name", "") or ""


class UserAttributeSimilarityValidator(django_validation.UserAttributeSimilarityValidator):
    """Django's similarity check on the login name, plus: the password must not contain the login
    name, the person's name, or the name's pinyin."""

    def validate(self, password, user=None):
        if not user:
            return
        lowered = password.lower()
        username = (getattr(user, "username", "") or "").lower()
        name = _person_name(user)
        pinyin = name_in_pinyin(name)
        for what, value, shortest in (
            ("用户名", username, 3),
            ("姓名", name.lower(), 2),
            ("姓名的拼音", pinyin, 4),
        ):
            if value and len(value) >= shortest and value in lowered:
                raise ValidationError(
                    f"密码不能包含{what}，请换一个。", code="password_too_similar"
                )
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(
                "密码与用户名或姓名太相似，请换一个。", code="password_too_similar"
            ) from None

    def get_help_text(self):
        return "不能包含用户名或姓名，也不能与之太相似。"


def initial_password() -> str:
    """A random initial password such as "k7pm-3xq9-tv2h": 14 characters, letters and digits,
    easy to read off a sheet; it passes the policy and is changed at first login."""
    while True:
        letters = "".join(
            secrets.choice(INITIAL_ALPHABET) for _ in range(INITIAL_GROUPS * INITIAL_GROUP_LENGTH)
        )
        if any(c.isdigit() for c in letters) and any(c.isalpha() for c in letters):
            break
    step = INITIAL_GROUP_LENGTH
    return "-".join(letters[i : i + step] for i in range(0, len(letters), step))
