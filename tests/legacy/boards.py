"""Exports of an old eGovFrame board, written as its system writes them: CSV
files with a header row, in UTF-8 or CP949, and a folder of stored files."""

import csv
from pathlib import Path

BOARD = "BBSMSTR_000000000011"
ARTICLE_HEADER = [
    "NTT_ID", "BBS_ID", "NTT_NO", "NTT_SJ", "NTT_CN", "ANSWER_AT", "PARNTSCTT_NO",
    "ANSWER_LC", "SORT_ORDR", "RDCNT", "USE_AT", "NTCE_BGNDE", "NTCE_ENDDE",
    "NTCR_ID", "NTCR_NM", "PASSWORD", "ATCH_FILE_ID", "FRST_REGIST_PNTTM",
    "FRST_REGISTER_ID", "LAST_UPDT_PNTTM", "LAST_UPDT_USR_ID",
]  # fmt: skip
FILE_HEADER = [
    "ATCH_FILE_ID", "FILE_SN", "FILE_STRE_COURS", "STRE_FILE_NM",
    "ORIGNL_FILE_NM", "FILE_EXTSN", "FILE_CN", "FILE_SIZE",
]  # fmt: skip
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def article(number, **columns):
    """An article row: live, not a reply, registered on day number of 2021."""
    day = 1 + (number - 1) % 28
    return {
        "NTT_ID": str(1000 + number), "BBS_ID": BOARD, "NTT_NO": str(number),
        "NTT_SJ": f"보도자료 {number}", "NTT_CN": f"본문 {number}<br><br>둘째 문단",
        "ANSWER_AT": "N", "PARNTSCTT_NO": "0", "ANSWER_LC": "0", "SORT_ORDR": "0",
        "RDCNT": str(number * 10), "USE_AT": "Y", "NTCE_BGNDE": "", "NTCE_ENDDE": "",
        "NTCR_ID": "press", "NTCR_NM": "대변인실 홍길동", "PASSWORD": "",
        "ATCH_FILE_ID": "", "FRST_REGIST_PNTTM": f"2021-10-{day:02d} 09:00:00",
        "FRST_REGISTER_ID": "press", "LAST_UPDT_PNTTM": "", "LAST_UPDT_USR_ID": "",
        **columns,
    }  # fmt: skip


def stored_file(file_id, number, name, content=PDF, stored_name=None):
    """A file row, and its content to put in the files folder."""
    stored_name = stored_name or f"BBS_{file_id}_{number}"
    row = {
        "ATCH_FILE_ID": file_id, "FILE_SN": str(number),
        "FILE_STRE_COURS": "/home/egov/upload/bbs/", "STRE_FILE_NM": stored_name,
        "ORIGNL_FILE_NM": name, "FILE_EXTSN": Path(name).suffix.lstrip("."),
        "FILE_CN": "", "FILE_SIZE": str(len(content or b"")),
    }  # fmt: skip
    return row, content


def write_board(folder, articles, files=(), encoding="utf-8", header=None):
    """The export in folder: COMTNBBS.csv, COMTNFILEDETAIL.csv and the stored
    files under folder/bbs/. Returns folder."""
    folder = Path(folder)
    (folder / "bbs").mkdir(parents=True, exist_ok=True)
    _write(folder / "COMTNBBS.csv", header or ARTICLE_HEADER, articles, encoding)
    _write(
        folder / "COMTNFILEDETAIL.csv", FILE_HEADER, [row for row, _ in files], encoding
    )
    for row, content in files:
        if content is not None and "/" not in row["STRE_FILE_NM"]:
            (folder / "bbs" / row["STRE_FILE_NM"]).write_bytes(content)
    return folder


def _write(path, header, rows, encoding):
    with path.open("w", encoding=encoding, newline="") as table:
        writer = csv.DictWriter(table, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
