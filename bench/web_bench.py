"""The front desk's figures (``make bench``), through a real ``reviewdocs serve`` on
127.0.0.1 only, with bounded loops:

1. upload-to-documents for one review: the completed PDF form uploaded and checked,
   then its documents produced (record and letter DOCX); target under 1 s.
2. a CSV batch of N rows (5,000 by default) through the web, against ``reviewdocs
   batch`` on the same file in the same run; target: the web at 80% of the CLI's
   rate or better.
3. 20 signed-in users at once, each uploading a review and reading its check page in
   a bounded loop; target: p95 under 500 ms and no error.

Usage: python bench/web_bench.py [--rows 5000] [--users 20] [--rounds 10]
"""

from __future__ import annotations

import argparse
import csv
import http.cookiejar
import io
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
PASSWORD = "bench password 1234"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class Client:
    """A signed-in browser, in miniature: cookies, CSRF tokens, multipart uploads."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.token = ""
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[str, str]:
        with self.opener.open(self.base + path, timeout=600) as r:
            return r.geturl(), r.read().decode("utf-8")

    def get_bytes(self, path: str) -> bytes:
        with self.opener.open(self.base + path, timeout=600) as r:
            return bytes(r.read())

    def post(self, path: str, fields: dict[str, str], file: tuple[str, bytes] | None = None) -> str:
        # The session's CSRF token, read once from a page (a browser has the form open).
        fields = {"csrf_token": self.token, **fields}
        if file is None:
            body = urllib.parse.urlencode(fields).encode()
            kind = "application/x-www-form-urlencoded"
        else:
            boundary = uuid.uuid4().hex
            parts = io.BytesIO()
            for k, v in fields.items():
                head = f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"'
                parts.write(f"{head}\r\n\r\n{v}\r\n".encode())
            name, data = file
            parts.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            )
            parts.write(data + f"\r\n--{boundary}--\r\n".encode())
            body = parts.getvalue()
            kind = f"multipart/form-data; boundary={boundary}"
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Content-Type": kind}
        )
        with self.opener.open(request, timeout=600) as r:
            return str(r.geturl())

    def sign_in(self, name: str) -> None:
        _, page = self.get("/sign-in")
        token = TOKEN.search(page).group(1)  # type: ignore[union-attr]
        body = urllib.parse.urlencode({"csrf_token": token, "name": name, "password": PASSWORD})
        with self.opener.open(self.base + "/sign-in", data=body.encode(), timeout=60) as r:
            assert not r.geturl().endswith("/sign-in"), f"{name} could not sign in"
            self.token = TOKEN.search(r.read().decode()).group(1)  # type: ignore[union-attr]


def start_server(data: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "reviewdocs", "serve", "--port", "0", "--data", str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:\d+", line)
    assert found, line
    return process, found.group(0)


def one_review(base: str, runs: int = 5) -> list[float]:
    client = Client(base)
    client.sign_in("pat")
    form = (SAMPLES / "form-carer-full.pdf").read_bytes()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        check_url = client.post("/reviews/upload", {}, ("form.pdf", form))
        upload_id = check_url.split("/")[-2]
        _, page = client.get(f"/reviews/{upload_id}/check")
        assert "has no problems" in page
        client.post(f"/reviews/{upload_id}/documents", {})
        _, page = client.get(f"/reviews/{upload_id}/documents")
        links = re.findall(r'href="(/files/[^"]+)"[^>]*>([^<]+)<', page)
        assert any("Review record, DOCX" in label for _, label in links), page
        assert any("Outcome letter, DOCX" in label for _, label in links), page
        times.append(time.perf_counter() - t0)
    return times


def letters(rows: int) -> bytes:
    with (SAMPLES / "letters.csv").open(encoding="utf-8", newline="") as fh:
        table = list(csv.reader(fh))
    header, body = table[0], table[1:]
    id_col = header.index("review.id")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for n in range(rows):
        row = list(body[n % len(body)])
        row[id_col] = f"{row[id_col]}-{n:05d}"
        writer.writerow(row)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def cli_batch(csv_path: Path, out: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "reviewdocs", "batch", str(csv_path), "--out", str(out)],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - t0


def web_batch(base: str, data: bytes, rows: int) -> tuple[float, float]:
    """(seconds to upload and check, seconds from "Produce" to the finished page)."""
    client = Client(base)
    client.sign_in("ada")
    t0 = time.perf_counter()
    batch_url = client.post("/batches/upload", {}, ("letters.csv", data))
    path = batch_url[len(base) :]
    _, page = client.get(path)
    assert f"Produce {rows} letters" in page, page[:2000]
    checked = time.perf_counter() - t0
    t1 = time.perf_counter()
    client.post(path + "/start", {})
    deadline = time.monotonic() + 3600
    while time.monotonic() < deadline:
        _, page = client.get(path + "?refresh=off")
        if "Batch finished" in page:
            break
        time.sleep(0.25)
    else:
        raise AssertionError("the web batch did not finish within an hour")
    produced = time.perf_counter() - t1
    assert f"{rows} records" in page
    return checked, produced


def concurrent_checks(base: str, users: int, rounds: int) -> tuple[list[float], int]:
    review = (SAMPLES / "02-carer-short-term-change.json").read_bytes()
    clients = []
    for n in range(users):
        c = Client(base)
        c.sign_in(f"user{n}")
        clients.append(c)
    times: list[float] = []
    errors = 0
    lock = threading.Lock()
    start = threading.Barrier(users)

    def work(client: Client) -> None:
        nonlocal errors
        start.wait()
        for _ in range(rounds):
            t0 = time.perf_counter()
            try:
                url = client.post("/reviews/upload", {}, ("review.json", review))
                _, page = client.get(url[len(base) :])
                ok = "has no problems" in page
            except Exception:
                ok = False
            elapsed = time.perf_counter() - t0
            with lock:
                times.append(elapsed)
                errors += not ok

    threads = [threading.Thread(target=work, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    return times, errors


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def _one_review_figure(base: str) -> list[str]:
    times = one_review(base)
    best, median = min(times), statistics.median(times)
    print(
        f"1. one review, PDF form upload to record and letter DOCX: median {median:.2f} s, "
        f"best {best:.2f} s over {len(times)} runs (target < 1 s)"
    )
    return ["one review"] if median >= 1 else []


def _batch_figure(base: str, work: Path, rows: int, rounds: int = 2) -> list[str]:
    """CLI and web alternately, ``rounds`` times each (the machine is shared: its load
    changes from one minute to the next); the best of each is compared."""
    csv_bytes = letters(rows)
    csv_path = work / "letters.csv"
    csv_path.write_bytes(csv_bytes)
    cli_times, web_times, checks = [], [], []
    for n in range(rounds):
        cli_times.append(cli_batch(csv_path, work / f"cli-out-{n}"))
        checked_s, web_s = web_batch(base, csv_bytes, rows)
        web_times.append(web_s)
        checks.append(checked_s)
    cli_s, web_s = min(cli_times), min(web_times)
    cli_rate, web_rate = rows / cli_s, rows / web_s
    share = web_rate / cli_rate
    shown = ", ".join(
        f"CLI {c:.1f} s / web {w:.1f} s" for c, w in zip(cli_times, web_times, strict=True)
    )
    print(
        f"2. batch of {rows} CSV rows ({shown}): best CLI {cli_s:.1f} s ({cli_rate:.0f}/s); "
        f"best web {web_s:.1f} s from Produce to the finished page, zip included "
        f"({web_rate:.0f}/s, {share:.0%} of the CLI's rate; target >= 80%); "
        f"upload and check before it: {min(checks):.1f} s"
    )
    return ["batch rate"] if share < 0.8 else []


def _concurrent_figure(base: str, users: int, rounds: int) -> list[str]:
    latencies, errors = concurrent_checks(base, users, rounds)
    print(
        f"3. {users} users x {rounds} uploads checked at once: "
        f"p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {p95(latencies) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms, "
        f"{errors} error(s) (target p95 < 500 ms, no error)"
    )
    return ["concurrent checks"] if p95(latencies) >= 0.5 or errors else []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--parts", default="1,2,3", help="which figures (default: all)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from reviewdocs.web.store import Store

    work = Path(tempfile.mkdtemp(prefix="reviewdocs-web-bench-"))
    failures: list[str] = []
    try:
        data = work / "data"
        store = Store(data)
        store.add_user("pat", "practitioner", PASSWORD)
        store.add_user("ada", "admin", PASSWORD)
        for n in range(args.users):
            store.add_user(f"user{n}", "practitioner", PASSWORD)
        server, base = start_server(data)
        try:
            parts = set(args.parts.split(","))
            if "1" in parts:
                failures += _one_review_figure(base)
            if "2" in parts:
                failures += _batch_figure(base, work, args.rows)
            if "3" in parts:
                failures += _concurrent_figure(base, args.users, args.rounds)
        finally:
            server.terminate()
            server.communicate(timeout=30)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("Missed: " + ", ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
