"""Mangled exports: whatever the bytes, a reader returns rows or raises ImportFormatError (the
import page's clear error), never another exception (a 500).

Hypothesis mangles the samples (and an XLSX built from one) the ways files get damaged:
cut short, a slice lost, stray bytes or lines inserted, bytes overwritten, separators or quotes
swapped, a line repeated, re-encoded."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from headway.results.sources import ImportFormatError, iter_rows, known_layout, read
from headway.results.tests.xlsx import xlsx_bytes

FIXTURES = Path("/work/shared/fixtures")
SAMPLES = {
    "google_ads": "google-ads/Campaign report.csv",
    "meta": "meta-ads/Harbor-and-Pine-Campaigns-1-Mar-2026-31-Mar-2026.csv",
    "linkedin": "linkedin/campaign_performance_report.csv",
    "mailchimp": "mailchimp/campaigns.csv",
    "mailchimp_report": "mailchimp/campaign-report-spring-launch-2026-announcement.csv",
    "ga4": "ga4/Traffic_acquisition_Session_source_medium.csv",
    "contacts": "hubspot/hubspot-crm-exports-all-contacts-2026-04-01.csv",
    "deals": "hubspot/hubspot-crm-exports-all-deals-2026-04-01.csv",
}
DATA = {name: (FIXTURES / path).read_bytes() for name, path in SAMPLES.items()}


def _variant_bytes(name: str) -> bytes:
    from headway.results.tests import test_sources_variants_store as store
    from headway.results.tests import test_sources_variants_xlsx as workbooks

    if name == "contacts_xlsx":
        return xlsx_bytes(workbooks.hubspot_rows(workbooks.CONTACTS))
    return store.CASES[name][0]()


DATA["xlsx"] = xlsx_bytes(
    [
        ["Campaign report"],
        ["March 1, 2026 - March 31, 2026"],
        ["Day", "Campaign", "Impr.", "Clicks", "Currency code", "Cost"],
        ["2026-03-01", "Brand - Search", 344, 10, "USD", 7.98],
        ["2026-03-02", "Brand - Search", 2013, 12, "USD", 1204.5],
        ["Total: Account", " --", 2357, 22, "USD", 1212.48],
    ]
)
# variants: a German UTF-16/TAB Google Ads report without Day, a Meta export with semicolons
# and decimal commas, a French LinkedIn report, a HubSpot contacts workbook
DATA["google_ads_de"] = _variant_bytes("google_ads")
DATA["meta_semicolons"] = _variant_bytes("meta_ads")
DATA["linkedin_fr"] = _variant_bytes("linkedin")
DATA["contacts_xlsx"] = _variant_bytes("contacts_xlsx")
EXAMPLES = int(os.environ.get("HEADWAY_SOURCES_FUZZ_EXAMPLES", "60"))
NASTY = [
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b'"',
    b"\r",
    b"\n",
    b"\t",
    b";",
    b",",
    b" --",
    b"\xe4",
    b"\xc3",
    b"1e999",
    b"NaN",
    b"-",
    b"99/99/9999",
    b"20261399",
    b"Total: Account",
    b"Grand total",
    b"No data available.",
    b"# Start date: 20260301",
    b"Email Campaign Report\n",
    b"PK\x03\x04",
    "\uff11\uff12\uff13".encode(),  # full-width digits
    "\u0663,\u0664".encode(),  # Arabic-Indic digits
]


@st.composite
def mangled(draw: st.DrawFn, data: bytes) -> bytes:
    """The bytes after one to three kinds of damage."""
    for _ in range(draw(st.integers(1, 3))):
        size = len(data)
        at = draw(st.integers(0, size))
        kind = draw(
            st.sampled_from(["cut", "drop", "insert", "overwrite", "swap", "repeat", "encode"])
        )
        if kind == "cut":
            data = data[:at]
        elif kind == "drop":
            data = data[:at] + data[at + draw(st.integers(1, 200)) :]
        elif kind == "insert":
            extra = draw(st.one_of(st.sampled_from(NASTY), st.binary(min_size=1, max_size=12)))
            data = data[:at] + extra + data[at:]
        elif kind == "overwrite":
            extra = draw(st.binary(min_size=1, max_size=8))
            data = data[:at] + extra + data[at + len(extra) :]
        elif kind == "swap":
            old, new = draw(
                st.sampled_from(
                    [(b",", b";"), (b",", b"\t"), (b'"', b""), (b".", b","), (b"\n", b"\r")]
                )
            )
            data = data.replace(old, new, draw(st.integers(1, 50)))
        elif kind == "repeat":
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            line = data[start : (end + 1 if end >= 0 else size)]
            data = data[:start] + line * draw(st.integers(2, 4)) + data[start:]
        else:
            try:
                text = data.decode("utf-16" if data[:2] == b"\xff\xfe" else "utf-8")
            except UnicodeDecodeError:
                continue
            encoding = draw(st.sampled_from(["utf-16", "utf-16-le", "cp1252", "latin-1"]))
            data = text.encode(encoding, errors="replace")
    return data


def _read_all_or_refuse(data: bytes) -> None:
    try:
        parsed = read(data)
    except ImportFormatError as error:
        assert str(error)  # says what was wrong
        return
    assert parsed.rows_count >= 0
    assert sum(1 for _ in iter_rows(data)) == parsed.rows_count
    known_layout(data)


@pytest.mark.parametrize("name", sorted(DATA))
def test_samples_themselves_read(name: str) -> None:
    assert read(DATA[name]).rows_count > 0


@pytest.mark.parametrize("name", sorted(DATA))
def test_mangled_samples_read_or_are_refused_with_the_readers_error(name: str) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(mangled(DATA[name]))
    def check(data: bytes) -> None:
        _read_all_or_refuse(data)

    check()


@settings(max_examples=EXAMPLES * 2, deadline=None, database=None)
@given(st.binary(max_size=600))
def test_random_bytes_read_or_are_refused(data: bytes) -> None:
    _read_all_or_refuse(data)


@settings(max_examples=EXAMPLES * 2, deadline=None, database=None)
@given(
    st.lists(
        st.lists(st.sampled_from(["Campaign", "Impr.", "Cost", "Day", "2026-03-01", "1,0", ""])),
        max_size=6,
    ),
    st.sampled_from([",", ";", "\t"]),
)
def test_header_like_cells_in_any_order_read_or_are_refused(
    rows: list[list[str]], delimiter: str
) -> None:
    text = "\n".join(delimiter.join(r) for r in rows)
    _read_all_or_refuse(text.encode())
