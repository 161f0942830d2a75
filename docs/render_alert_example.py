"""Regenerates the README's alert picture: runs the monitor on the three seed articles, one run
each, into a throwaway SQLite file with a local SMTP server as the only recipient, and saves the
last email (after seed 002) as docs/alert-email.html and its plain-text part as
docs/alert-email.txt (+ .png via headless Chromium when present). In-process: no Prefect server.

    .venv/bin/python docs/render_alert_example.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from laborwatch.pipeline.options import RunOptions  # noqa: E402
from laborwatch.pipeline.run import run_pass  # noqa: E402
from laborwatch.pipeline.runner import LocalRunner  # noqa: E402
from laborwatch.settings import load_settings  # noqa: E402
from tests.support.config import write_config  # noqa: E402
from tests.support.servers import smtp_inbox  # noqa: E402


def main() -> None:
    seeds = sorted((REPO / "data" / "samples" / "articles").glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp, smtp_inbox() as inbox:
        config = write_config(
            Path(tmp) / "config.toml",
            db=Path(tmp) / "lw.db",
            urls=[inbox.apprise_url()],
            sources=[],
        )
        settings = load_settings(config)
        for seed in seeds:
            with LocalRunner() as runner:
                run_pass(settings, RunOptions(sources=[str(seed)]), runner)
        mails = inbox.wait_for(len(seeds))
    last = mails[-1]
    html = last.get_body(preferencelist=("html",)).get_content()
    out = REPO / "docs" / "alert-email.html"
    out.write_text(html, encoding="utf-8")
    plain = last.get_body(preferencelist=("plain",)).get_content()
    out.with_suffix(".txt").write_text(f"Subject: {last['Subject']}\n\n{plain}", encoding="utf-8")
    print(f"subject: {last['Subject']}")
    print(f"wrote {out}")
    chromium = shutil.which("chromium")
    if chromium:
        png = out.with_suffix(".png")
        subprocess.run(
            [
                chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", f"--screenshot={png}", "--window-size=1000,560", out.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )  # fmt: skip
        print(f"wrote {png}")


if __name__ == "__main__":
    main()
