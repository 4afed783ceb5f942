"""The seven forms of Circular 03/2025/TT-VPCP (Appendix I) as data: one entry per form.

Each entry says what is printed around the form's own fields (number, title, legal basis,
who signs) and which template holds those fields. One template per form serves both the
printed page of the portal and the PDF: the template extends the frame it is given
(`forms.STANDALONE_FRAME` for the self-contained document WeasyPrint renders, the portal's
print frame for the page), so the fields are written once.

Legal forms are issued in Vietnamese only, so their titles and roles are not translated.
Titles follow Circular 03/2025 Appendix I; fields follow the forms as reproduced in
Decision 3621/QĐ-BYT (docs/legal-basis.md#legal-forms).
"""

from __future__ import annotations

from dataclasses import dataclass

#: Printed on every form, above the header ("Mẫu số 01. Phụ lục I, ...").
APPENDIX_I = "Phụ lục I, Thông tư số 03/2025/TT-VPCP"

SIGN_HINT = "(Ký và ghi rõ họ tên)"


@dataclass(frozen=True)
class FormSpec:
    code: str
    title: str
    #: The legal text the form comes from, printed on it.
    legal_basis: str
    #: The agency's side of the signature block (the officer or head who signs).
    signer_role: str
    #: The other party who signs on the same form (the applicant), if any.
    co_signer_role: str = ""
    signer_hint: str = SIGN_HINT
    #: Short sign ("ký hiệu") in the form's number, after the usual "number/sign" of
    #: Vietnamese administrative documents (Decree 30/2020/NĐ-CP); MotCua's abbreviations.
    #: Empty for the forms without a number of their own (06, 07).
    number_sign: str = ""
    #: Why a dossier may lack the form, for the error message.
    not_issued: str = "it has not been received yet"
    landscape: bool = False

    @property
    def template(self) -> str:
        return f"documents/form_{self.code}.html"

    @property
    def label(self) -> str:
        return f"Mẫu số {self.code}"

    @property
    def issued_with_event(self) -> bool:
        """01–05 are issued by one event of the dossier's history; 06 and 07 are kept records."""
        return bool(self.number_sign)


FORMS: dict[str, FormSpec] = {
    spec.code: spec
    for spec in (
        FormSpec(
            "01",
            "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
            APPENDIX_I,
            signer_role="Người tiếp nhận hồ sơ",
            co_signer_role="Người nộp hồ sơ",
            number_sign="TNHS",
        ),
        FormSpec(
            "02",
            "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
            APPENDIX_I,
            signer_role="Người hướng dẫn",
            number_sign="BSHS",
            not_issued="no supplement was requested",
        ),
        FormSpec(
            "03",
            "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
            APPENDIX_I,
            signer_role="Người tiếp nhận hồ sơ",
            co_signer_role="Người nộp hồ sơ",
            number_sign="TCHS",
            not_issued="it was not refused",
        ),
        FormSpec(
            "04",
            "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
            APPENDIX_I,
            signer_role="Thủ trưởng cơ quan, đơn vị",
            signer_hint="(Ký, ghi rõ họ tên và đóng dấu)",
            number_sign="XLGH",
            not_issued="there was no apology with a new date",
        ),
        FormSpec(
            # Decree 118/2025 Art. 21. The Appendix I layout of Form 05 was NOT read
            # (docs/legal-basis.md#legal-forms): its fields are MotCua's choice, modelled on Forms 03 and 04.
            "05",
            "Thông báo dừng giải quyết hồ sơ",
            APPENDIX_I,
            signer_role="Người thông báo",
            co_signer_role="Người đề nghị",
            number_sign="DGQ",
            not_issued="it was not stopped",
        ),
        FormSpec(
            "06",
            "Phiếu kiểm soát quá trình giải quyết hồ sơ",
            APPENDIX_I,
            signer_role="Người giao, người nhận hồ sơ",
        ),
        FormSpec(
            "07",
            "Sổ theo dõi hồ sơ",
            APPENDIX_I,
            signer_role="Người nhận kết quả",
            landscape=True,
        ),
    )
}

FORM_CODES: tuple[str, ...] = tuple(FORMS)

#: Circular 03/2025/TT-VPCP Appendix I, form titles.
FORM_TITLES: dict[str, str] = {code: spec.title for code, spec in FORMS.items()}

#: The forms issued by an event of the dossier's history (printed from that event).
ISSUED_FORMS: frozenset[str] = frozenset(code for code, spec in FORMS.items() if spec.issued_with_event)
