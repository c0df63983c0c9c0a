"""Threaded Word replies piled on one heading, as a place with hundreds of answered comments has
them at 16x: the time to add n comments each with its reply.

    .venv/bin/python bench/replies.py [REPO]     # REPO: another checkout of vnr to compare with
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).resolve().parent.parent))

from docx import Document  # noqa: E402

from vnr.write.docx_replies import Threads  # noqa: E402

for n in (500, 1000, 2000):
    doc = Document()
    heading = doc.add_heading("Household waste", 2)
    runs = [heading.add_run("Household waste")]
    threads, start = Threads(doc), time.perf_counter()
    for i in range(n):
        comment = doc.add_comment(runs, text=f"comment {i}", author="Akmola Region")
        threads.reply(comment, runs, f"Noted: reply {i}", "Drafting team", False)
    print(f"{n:,} comments with replies: {time.perf_counter() - start:.2f} s")
