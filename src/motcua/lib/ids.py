"""Identifiers of the Vietnamese administration, validated without the ORM."""

from __future__ import annotations

import re
from datetime import date

# Decision 20/2020/QĐ-TTg Art. 4: at most 35 characters, A–Z, 0–9 and dots, in
# dot-separated groups. The level-1 group is `MX1X2` (M = A–Y, X = digits). Codes in use are
# written both left to right (`H99.01`, docs/legal-basis.md#identifiers) and right to left (`000.00.01.H26`),
# so either end may hold the level-1 group.
_AGENCY_GROUP = r"[A-Z0-9]{1,5}"
AGENCY_CODE_RE = re.compile(rf"^{_AGENCY_GROUP}(\.{_AGENCY_GROUP})*$")
_LEVEL1_RE = re.compile(r"^[A-Y][0-9]{2}$")

PROCEDURE_CODE_RE = re.compile(r"^[0-9]\.[0-9]{6}$")
PERSONAL_ID_RE = re.compile(r"^[0-9]{12}$")


def agency_code_error(code: str) -> str | None:
    """Why `code` is not an electronic agency code, or None when it is one."""
    if not code or len(code) > 35:
        return "An electronic agency code has 1 to 35 characters (Decision 20/2020/QĐ-TTg)."
    if not AGENCY_CODE_RE.match(code):
        return "An electronic agency code has only A–Z, 0–9 and dots between groups."
    groups = code.split(".")
    if not (_LEVEL1_RE.match(groups[0]) or _LEVEL1_RE.match(groups[-1])):
        return "An electronic agency code starts or ends with a level-1 group such as H99."
    return None


def procedure_code_error(code: str) -> str | None:
    if not PROCEDURE_CODE_RE.match(code):
        return "A procedure code has the form d.dddddd, as in the national procedure database."
    return None


# Circular 59/2021/TT-BCA Art. 7 (structure from Decree 137/2015 Art. 13): the fourth digit
# codes the century of birth and the sex: 0/1 = 20th century male/female, 2/3 = 21st,
# 4/5 = 22nd, 6/7 = 23rd, 8/9 = 24th.
_CENTURY_START = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200, 8: 2300, 9: 2300}


def personal_id_error(value: str, *, today: date | None = None) -> str | None:
    """Why `value` is not a 12-digit personal identification number, or None."""
    if not PERSONAL_ID_RE.match(value):
        return "Số định danh cá nhân phải gồm đúng 12 chữ số."
    century_sex = int(value[3])
    year = _CENTURY_START[century_sex] + int(value[4:6])
    if year > (today or date.today()).year:
        return "Số định danh cá nhân có năm sinh ở tương lai (chữ số thứ 4–6)."
    if value[:3] == "000":
        return "Số định danh cá nhân có mã tỉnh nơi đăng ký khai sinh không hợp lệ (000)."
    return None


def personal_id_birth_year_and_sex(value: str) -> tuple[int, str]:
    """Birth year and sex ("male"/"female") encoded in a valid personal ID."""
    century_sex = int(value[3])
    return _CENTURY_START[century_sex] + int(value[4:6]), ("male" if century_sex % 2 == 0 else "female")
