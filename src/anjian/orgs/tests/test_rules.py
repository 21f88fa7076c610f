from django.test import SimpleTestCase

from anjian.orgs.rules import check_phone, check_uscc, mask_phone, uscc_check_char


class UsccTests(SimpleTestCase):
    """GB 32100-2015 check character (RULES.md §7)."""

    def test_the_standards_own_example_is_valid(self):
        self.assertIsNone(check_uscc("91350100M000100Y43"))
        self.assertEqual(uscc_check_char("91350100M000100Y4"), "3")

    def test_lower_case_is_normalised(self):
        self.assertIsNone(check_uscc("91350100m000100y43"))

    def test_wrong_check_character_names_the_right_one(self):
        self.assertIn("第 18 位应为 3", check_uscc("91350100M000100Y44"))

    def test_length_and_alphabet(self):
        self.assertIn("18 位", check_uscc("91350100M000100Y4"))
        for bad in "IOZSV":
            with self.subTest(char=bad):
                self.assertIn("不允许的字符", check_uscc("91350100M000100" + bad + "43"))

    def test_check_value_31_maps_to_0(self):
        # Search a body whose weighted sum is 0 mod 31: its check character must be "0".
        body = "00000000000000000"
        self.assertEqual(uscc_check_char(body), "0")


class PhoneTests(SimpleTestCase):
    def test_mask(self):
        self.assertEqual(mask_phone("13812345678"), "138****5678")
        self.assertEqual(mask_phone(""), "")
        self.assertEqual(mask_phone("12345"), "****")

    def test_validation(self):
        self.assertIsNone(check_phone("13812345678"))
        self.assertIsNone(check_phone("021-57921234"))
        self.assertIsNone(check_phone(""))
        self.assertIsNotNone(check_phone("12345678901"))
        self.assertIsNotNone(check_phone("1381234567"))
