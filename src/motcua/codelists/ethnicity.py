"""The 54 ethnic groups of Viet Nam, with the codes of the General Statistics Office.

Decision 121-TCTK/PPCĐ of 2 March 1979 published the list of ethnic groups and its codes
01–54; the statistics office adds 55 for a foreign person living in Viet Nam. Names are
written as the statistics office writes them (some groups have other names in daily use).
"""

from __future__ import annotations

ETHNICITIES: tuple[tuple[str, str], ...] = (
    ("01", "Kinh"),
    ("02", "Tày"),
    ("03", "Thái"),
    ("04", "Hoa"),
    ("05", "Khơ-me"),
    ("06", "Mường"),
    ("07", "Nùng"),
    ("08", "Hmông"),
    ("09", "Dao"),
    ("10", "Gia-rai"),
    ("11", "Ngái"),
    ("12", "Ê-đê"),
    ("13", "Ba-na"),
    ("14", "Xơ-đăng"),
    ("15", "Sán Chay"),
    ("16", "Cơ-ho"),
    ("17", "Chăm"),
    ("18", "Sán Dìu"),
    ("19", "Hrê"),
    ("20", "Mnông"),
    ("21", "Ra-glai"),
    ("22", "Xtiêng"),
    ("23", "Bru-Vân Kiều"),
    ("24", "Thổ"),
    ("25", "Giáy"),
    ("26", "Cơ-tu"),
    ("27", "Gié-Triêng"),
    ("28", "Mạ"),
    ("29", "Khơ-mú"),
    ("30", "Co"),
    ("31", "Ta-ôi"),
    ("32", "Chơ-ro"),
    ("33", "Kháng"),
    ("34", "Xinh-mun"),
    ("35", "Hà Nhì"),
    ("36", "Chu-ru"),
    ("37", "Lào"),
    ("38", "La Chí"),
    ("39", "La Ha"),
    ("40", "Phù Lá"),
    ("41", "La Hủ"),
    ("42", "Lự"),
    ("43", "Lô Lô"),
    ("44", "Chứt"),
    ("45", "Mảng"),
    ("46", "Pà Thẻn"),
    ("47", "Cơ Lao"),
    ("48", "Cống"),
    ("49", "Bố Y"),
    ("50", "Si La"),
    ("51", "Pu Péo"),
    ("52", "Brâu"),
    ("53", "Ơ Đu"),
    ("54", "Rơ-măm"),
)
FOREIGNER: tuple[str, str] = ("55", "Người nước ngoài")


def ethnicity_names(*, with_foreigner: bool = False) -> list[str]:
    """The names in code order (the 54 groups, then "Người nước ngoài" when asked)."""
    rows = [*ETHNICITIES, FOREIGNER] if with_foreigner else list(ETHNICITIES)
    return [name for _, name in rows]


def ethnicity_code(name: str) -> str | None:
    """The statistics office code of an ethnic group's name, or None."""
    return next((code for code, known in (*ETHNICITIES, FOREIGNER) if known == name), None)
