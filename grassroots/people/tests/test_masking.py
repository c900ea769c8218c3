from grassroots.people.masking import mask_id, mask_phone


def test_mainland_id_keeps_first_and_last_four():
    assert mask_id("370502198001011234") == "3705**********1234"


def test_mobile_keeps_three_and_four():
    assert mask_phone("13812345678") == "138****5678"


def test_short_documents_and_landlines_are_masked_too():
    assert mask_id("H12345678") == "H*****678"
    assert mask_phone("0546-8123456") == "054*****3456"
    assert mask_id("") == "" and mask_phone(None) == ""
