"""The password policy as settings apply it: the README's numbers, Chinese messages whatever the
browser's language, and initial passwords that pass it."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.utils import translation

from shigan.orgs.models import Person
from shigan.orgs.passwords import MIN_LENGTH, initial_password, name_in_pinyin

README = Path(__file__).resolve().parents[3] / "README.md"


def problems(password: str, user=None) -> list[str]:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


def test_the_readme_states_the_minimum_length_the_settings_apply():
    text = README.read_text(encoding="utf-8")
    stated = re.search(r"at least (\d+) characters", text)
    assert stated, "README states the password policy's minimum length"
    assert int(stated[1]) == MIN_LENGTH == 10


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_nine_characters_are_refused_ten_accepted_in_chinese(language):
    with translation.override(language):
        assert problems("k7pm3xq9t") == ["密码太短：至少10个字符（现为9个）。"]
        assert problems("k7pm3xq9tv") == []


@pytest.mark.parametrize(
    "password, message",
    [
        ("password123", "这个密码太常见，容易被猜中，请换一个。"),
        ("qwertyuiop", "这个密码太常见，容易被猜中，请换一个。"),
        ("2023072012345", "密码不能全是数字，请加入字母或符号。"),
    ],
)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_common_and_all_digit_passwords_are_refused_in_chinese(password, message, language):
    with translation.override(language):
        assert message in problems(password)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "password, message",
    [
        ("xiaowang-2023", "密码不能包含用户名，请换一个。"),
        ("XIAOWANG!!77", "密码不能包含用户名，请换一个。"),
        ("王小明的密码2023", "密码不能包含姓名，请换一个。"),
        ("wangxiaoming88", "密码不能包含姓名的拼音，请换一个。"),
        ("xiaowang1", "密码太短：至少10个字符（现为9个）。"),
        ("xiaowan9g", "密码太短：至少10个字符（现为9个）。"),
    ],
)
def test_the_login_name_and_the_persons_name_are_refused(world, password, message):
    user = get_user_model().objects.create_user(username="xiaowang", password="x")
    Person.objects.create(name="王小明", unit=world.unit_a, user=user)
    assert message in problems(password, user)


@pytest.mark.django_db
def test_a_password_too_similar_to_the_login_name_is_refused(world):
    user = get_user_model().objects.create_user(username="zhangjianguo", password="x")
    assert problems("zhangjianguu", user) == ["密码与用户名或姓名太相似，请换一个。"]
    assert problems("river-lamp-88", user) == []


def test_the_help_text_lists_the_rules_in_chinese():
    with translation.override("en"):
        text = password_validation.password_validators_help_text_html()
    for rule in ["至少10个字符", "不能是常见密码", "不能全是数字", "不能包含用户名或姓名"]:
        assert rule in text


def test_initial_passwords_pass_the_policy_and_differ():
    made = [initial_password() for _ in range(200)]
    assert len(set(made)) == 200
    for password in made[:50]:
        assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", password)
        assert problems(password, get_user_model()(username="wangtianbao")) == []


def test_names_in_pinyin():
    assert name_in_pinyin("王填报") == "wangtianbao"
    assert name_in_pinyin("吕·绿") == "lvlv"
    assert name_in_pinyin("") == ""
