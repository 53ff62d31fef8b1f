from shigan.core.masking import mask_id_number, mask_phone


def test_phone_keeps_first_three_and_last_four():
    assert mask_phone("13812341234") == "138****1234"


def test_id_number_keeps_first_four_and_last_four():
    assert mask_id_number("420102199001011234") == "4201**********1234"


def test_blank_stays_blank_and_short_numbers_are_mostly_hidden():
    assert mask_phone("") == ""
    assert mask_phone("12345") == "****5"
