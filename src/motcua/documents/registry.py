"""The seven forms of Circular 03/2025/TT-VPCP (Appendix I) as data: one entry per form,
and the other document the workflow issues, the competent agency's refusal notice ("TC").

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
    #: The document is signed for the issuing unit ("TM." and the unit's name above the
    #: signer), as a notice the unit issues rather than a receipt two parties sign.
    for_unit: bool = False
    #: A form of Circular 03/2025 Appendix I ("Mẫu số NN" printed above the header); False
    #: for the other documents the workflow issues (the refusal notice during processing).
    appendix: bool = True

    @property
    def template(self) -> str:
        return f"documents/form_{self.code.lower()}.html"

    @property
    def label(self) -> str:
        return f"Mẫu số {self.code}" if self.appendix else ""

    @property
    def issued_with_event(self) -> bool:
        """01–05 and TC are issued by one event of the dossier's history; 06 and 07 are kept records."""
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
            # Circular 03/2025 Art. 7: the one-stop unit issues it, signed for the unit, with the
            # applicant's ID number and the date of the request. The Appendix I layout of Form 05
            # was NOT read (docs/legal-basis.md#legal-forms): the order of its fields is MotCua's.
            "05",
            "Thông báo dừng giải quyết hồ sơ",
            APPENDIX_I,
            signer_role="",
            signer_hint="(Ký, ghi rõ họ tên và đóng dấu)",
            number_sign="DGQ",
            not_issued="it was not stopped",
            for_unit=True,
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
        FormSpec(
            # Refusal during processing: the competent agency's reasoned notice, not the intake
            # wording of Form 03 (docs/legal-basis.md#stopping-withdrawal-and-refusal). Not an
            # Appendix I form; its layout is that of an administrative letter (Decree 30/2020).
            "TC",
            "Văn bản từ chối giải quyết hồ sơ thủ tục hành chính",
            "",
            signer_role="Thủ trưởng cơ quan",
            signer_hint="(Ký, ghi rõ họ tên và đóng dấu)",
            number_sign="TCGQ",
            not_issued="it was not refused during processing",
            for_unit=True,
            appendix=False,
        ),
    )
}

FORM_CODES: tuple[str, ...] = tuple(FORMS)

#: Circular 03/2025/TT-VPCP Appendix I, form titles.
FORM_TITLES: dict[str, str] = {code: spec.title for code, spec in FORMS.items()}

#: The forms issued by an event of the dossier's history (printed from that event).
ISSUED_FORMS: frozenset[str] = frozenset(code for code, spec in FORMS.items() if spec.issued_with_event)
