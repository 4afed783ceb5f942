"""Legal documents: the Circular 03/2025/TT-VPCP forms 01–07 as HTML/PDF, the tracking book
in Excel, the dossier QR and (simulated) digital signatures.

Public entry points, called by the pages and the API:

- `qr.dossier_qr_svg(code)`, `qr.dossier_qr_png(code)`
- `registry.FORMS`: the seven forms (number, title, legal basis, signer, template)
- `forms.form_context(dossier, "01".."07")`, `forms.render_form_html(..., frame=...)` (the
  standalone document, or the portal's printed page with its frame), `forms.render_form_pdf(...)`
- `forms.render_tracking_book_pdf(agency, start, end)`, `excel.tracking_book_xlsx(agency, start, end)`
- `signing.sign_pdf(pdf, signer_name=...)`, `signing.verify_pdf(pdf)`
"""
