from shigan.core.masking import mask_id_number, mask_phone


def test_mobile_phone_is_masked_in_the_middle():
    assert mask_phone("13812341234") == "138****1234"


def test_short_and_blank_phones_are_masked_too():
    assert mask_phone("") == ""
    assert mask_phone("1234567") == "*****67"
    assert mask_phone("027-8888 1234") == "027******1234"


def test_id_number_keeps_first_and_last_four():
    assert mask_id_number("420102199001011234") == "4201**********1234"
    assert mask_id_number("") == ""
    assert mask_id_number("12345") == "*****"
