"""Run calculator.api.handle on every request of a JSON file, in a process of its own, so that the
test around it can stop a hang with a timeout:

    python tests/hostile/run_api.py REQUESTS.json ANSWERS.jsonl

REQUESTS.json is a list of [op, payload_json]; each answer line is {"answer": <handle's text>,
"seconds": <wall time>} or {"raised": "<exception>"} (which the tests count as a failure)."""

from __future__ import annotations

import json
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from calculator.api import handle  # noqa: E402


def main(src: str, dst: str) -> int:
    requests = json.loads(Path(src).read_text(encoding="utf-8"))
    with open(dst, "w", encoding="utf-8") as out:
        for op, payload in requests:
            start = time.monotonic()
            try:
                line = {"answer": handle(op, payload), "seconds": time.monotonic() - start}
            except BaseException:  # noqa: BLE001 - the point is to report it
                line = {"raised": traceback.format_exc()}
            out.write(json.dumps(line) + "\n")
            out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
