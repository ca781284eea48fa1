"""The yearly report ("stand van zaken") as PDF and as spreadsheet, for programme managers and
administrators. Figures only, under disclosure control: no person, so no access log."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tandem.accounts.decorators import AuthenticatedRequest, capability_required
from tandem.common.disclosure import publishes
from tandem.common.exports import xlsx_workbook
from tandem.common.models import Province
from tandem.common.pdf import render_pdf

from .tables import Report, build_report

REPORT_TABLES = (
    "Yearly report: starts, participants by gender and type, group work, outflow, ESF+ indicators"
)
FIRST_YEAR = 2000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class BadParameter(ValueError):
    pass


def _params(request: AuthenticatedRequest) -> tuple[int, str]:
    """``year`` (default: the last complete calendar year) and ``province`` (default: all)."""
    this_year = timezone.localdate().year
    raw = request.GET.get("year", "").strip()
    if raw:
        try:
            year = int(raw)
        except ValueError:
            year = 0
        if not FIRST_YEAR <= year <= this_year:
            raise BadParameter(
                _("The parameter year must be a year from %(first)d to %(last)d.")
                % {"first": FIRST_YEAR, "last": this_year}
            )
    else:
        year = this_year - 1
    province = request.GET.get("province", "").strip()
    if province and province not in Province.values:
        raise BadParameter(
            _("The parameter province must be one of: %(codes)s.")
            % {"codes": ", ".join(Province.values)}
        )
    return year, province


def _report(request: AuthenticatedRequest) -> Report | HttpResponse:
    try:
        year, province = _params(request)
    except BadParameter as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    return build_report(year, province, today=timezone.localdate())


def _filename(report: Report, extension: str) -> str:
    where = f"-{report.province}" if report.province else ""
    return f"tandem-stand-van-zaken-{report.year}{where}.{extension}"


def _attachment(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@capability_required("report.view_aggregates")
@publishes(REPORT_TABLES + " (PDF)")
def report_pdf(request: AuthenticatedRequest) -> HttpResponse:
    report = _report(request)
    if isinstance(report, HttpResponse):
        return report
    pdf = render_pdf("reporting/report_pdf.html", {"report": report}, request)
    return _attachment(pdf, "application/pdf", _filename(report, "pdf"))


def workbook_bytes(report: Report) -> bytes:
    """One sheet per section: the title, the text, then each table with its header row."""
    workbook = xlsx_workbook()
    for section in report.sections:
        sheet = workbook.sheet(section.key)
        sheet.append([section.title], bold=True, size=14)
        for paragraph in section.paragraphs:
            sheet.append([paragraph])
        for table in section.tables:
            sheet.append([])
            sheet.append([table.caption], bold=True)
            sheet.append(table.header, bold=True)
            for row in table.rows:
                sheet.append(
                    [cell.value for cell in row],
                    number_formats=[cell.number_format for cell in row],
                )
            for note in table.notes:
                sheet.append([note])
        sheet.append([])
        sheet.append([report.disclosure_note])
        sheet.set_width("A", 40)
    return workbook.to_bytes()


@require_GET
@capability_required("report.view_aggregates")
@publishes(REPORT_TABLES + " (XLSX)")
def report_xlsx(request: AuthenticatedRequest) -> HttpResponse:
    report = _report(request)
    if isinstance(report, HttpResponse):
        return report
    return _attachment(workbook_bytes(report), XLSX, _filename(report, "xlsx"))
