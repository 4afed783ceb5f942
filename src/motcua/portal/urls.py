"""Pages: citizen portal, one-stop counter and officer workspace.

The portal's own pages live in the "portal" namespace; sign-in and sign-out keep Django's
global names "login" and "logout" (settings.LOGIN_URL = "login").
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path

from motcua.portal.views import catalogue, citizen, counter, eform_builder, feedback, procedure, workspace
from motcua.portal.views.common import PortalLoginView

_VERSION = "danh-muc/<str:code>/<int:number>/"
catalogue_patterns: list[URLPattern | URLResolver] = [
    path("danh-muc/", catalogue.catalogue, name="catalogue"),
    path("danh-muc/moi/", catalogue.procedure_new, name="catalogue-new"),
    path(_VERSION, catalogue.version_page, name="catalogue-version"),
    path(_VERSION + "thong-tin/", catalogue.version_details, name="catalogue-details"),
    path(_VERSION + "phi/", catalogue.version_fees, name="catalogue-fees"),
    path(_VERSION + "giay-to/", catalogue.version_documents, name="catalogue-documents"),
    path(_VERSION + "quy-trinh/", catalogue.version_steps, name="catalogue-steps"),
    path(_VERSION + "xem-truoc/", catalogue.version_preview, name="catalogue-preview"),
    path(_VERSION + "cong-bo/", catalogue.version_publish, name="catalogue-publish"),
    path(_VERSION + "bai-bo/", catalogue.procedure_abolish, name="catalogue-abolish"),
    path(_VERSION + "ban-nhap-moi/", catalogue.version_new_draft, name="catalogue-new-draft"),
    path(_VERSION + "bieu-mau/", eform_builder.builder, name="catalogue-eform"),
    path(_VERSION + "bieu-mau/xem-truoc/", eform_builder.builder_preview, name="catalogue-eform-preview"),
    path(_VERSION + "bieu-mau/json/", eform_builder.builder_json, name="catalogue-eform-json"),
]

feedback_patterns: list[URLPattern | URLResolver] = [
    path("phan-anh/", feedback.feedback_answers, name="feedback-answers"),
    path("phan-anh/gui/", feedback.feedback_new, name="feedback-new"),
    path("phan-anh/tra-cuu/", feedback.feedback_lookup, name="feedback-lookup"),
    path("phan-anh/ma/<str:code>/", feedback.feedback_track, name="feedback-track"),
    path("phan-anh/<int:pk>/binh-chon/", feedback.feedback_vote, name="feedback-vote"),
    path("can-bo/phan-anh/", feedback.office_queue, name="office-feedback-queue"),
    path("can-bo/phan-anh/<int:pk>/", feedback.office_feedback, name="office-feedback"),
    path("can-bo/phan-anh/<int:pk>/<str:action>/", feedback.office_act, name="office-feedback-act"),
]

portal_patterns: list[URLPattern | URLResolver] = [
    path("", citizen.home, name="home"),
    path("thu-tuc/", citizen.search, name="search"),
    path("thu-tuc/<str:code>/", procedure.procedure, name="procedure"),
    path("thu-tuc/<str:code>/mau-don/<int:pk>/", procedure.blank_form, name="blank-form"),
    path("thu-tuc/<str:code>/nop/", citizen.apply, name="apply"),
    path("ho-so-nhap/<int:pk>/", citizen.draft, name="draft"),
    path("ho-so-nhap/<int:pk>/xem-lai/", citizen.draft_review, name="draft-review"),
    path("ho-so-nhap/<int:pk>/xoa/", citizen.draft_remove, name="draft-delete"),
    path("da-nop/<str:code>/", citizen.submitted, name="submitted"),
    path("tra-cuu/", citizen.track, name="track"),
    path("tra-cuu/<str:code>/", citizen.track, name="track-code"),
    path("cua-toi/", citizen.my_dossiers, name="my"),
    path("tai-khoan/", citizen.profile, name="profile"),
    path("cua-toi/<str:code>/", citizen.my_dossier, name="my-dossier"),
    path("cua-toi/<str:code>/bo-sung/", citizen.my_resubmit, name="my-resubmit"),
    path("cua-toi/<str:code>/danh-gia/", citizen.my_rate, name="my-rate"),
    path("cua-toi/<str:code>/de-nghi-dung/", citizen.my_request, name="my-request"),
    path("cua-toi/<str:code>/nhan-ket-qua/", citizen.my_delivery, name="my-delivery"),
    path("qr/<str:code>.svg", citizen.qr, name="qr"),
    path("ho-so/<str:code>/mau/<str:form_code>.pdf", citizen.form_pdf, name="form-pdf"),
    path("ho-so/<str:code>/giay-to/<int:pk>/", citizen.component_file, name="component-file"),
    path("ho-so/<str:code>/in/<int:seq>/", counter.form_print, name="form-print"),
    path("mot-cua/", counter.home, name="counter"),
    path("mot-cua/tiep-nhan/", counter.new, name="counter-new"),
    path("mot-cua/ho-so/<str:code>/giay-tiep-nhan/", counter.receipt, name="receipt"),
    path("can-bo/", workspace.queue, name="queue"),
    path("can-bo/ho-so/<str:code>/", workspace.dossier, name="office-dossier"),
    path("can-bo/ho-so/<str:code>/xu-ly/<str:action>/", workspace.act, name="office-act"),
    path("can-bo/ho-so/<str:code>/phieu-kiem-soat/", workspace.control_sheet, name="control-sheet"),
    path("can-bo/so-theo-doi/", workspace.book, name="book"),
    path("can-bo/so-theo-doi.xlsx", workspace.book_xlsx, name="book-xlsx"),
    path("can-bo/so-theo-doi.pdf", workspace.book_pdf, name="book-pdf"),
    *catalogue_patterns,
    *feedback_patterns,
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("dang-nhap/", PortalLoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include((portal_patterns, "portal"))),
]
