from app.keyboard_layouts import mnemonic, same_key


def test_latin_letter_has_its_cyrillic_twins() -> None:
    assert same_key("n") == {"т"}
    assert same_key("s") == {"ы", "і"}


def test_cyrillic_mnemonic_has_its_latin_key() -> None:
    assert same_key("Д") == {"l"}
    assert same_key("і") == {"s", "ы"}


def test_punctuation_is_never_a_twin() -> None:
    assert same_key("б") == set()  # the comma key: no letter on the Latin side
    assert same_key("є") == {"э"}   # the apostrophe key in Latin


def test_mnemonic_reads_the_marked_letter() -> None:
    assert mnemonic("&Next") == "n"
    assert mnemonic("Да&лее") == "л"
    assert mnemonic("Fish && &Chips") == "c"
    assert mnemonic("Close") == ""
